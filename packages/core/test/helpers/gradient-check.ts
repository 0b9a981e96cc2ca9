/**
 * Central differences: ∂f/∂v[i] ≈ (f(v[i] + h) − f(v[i] − h)) / 2h for every i, restoring v.
 * With float64 buffers and h = 1e-5 the truncation error is O(h²) ≈ 1e-10 and rounding ≈ 1e-11.
 */
export function numericGradient(f: () => number, values: Float32Array, h = 1e-5): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const saved = values[i];
    values[i] = saved + h;
    const plus = f();
    values[i] = saved - h;
    const minus = f();
    values[i] = saved;
    out[i] = (plus - minus) / (2 * h);
  }
  return out;
}

/**
 * Largest |a − n| / max(|a|, |n|, floor) over all entries, and where it occurs (printed on
 * failure, like llm.c's check_tensor). The floor keeps entries that are ~0 in both from dividing
 * noise by noise.
 */
export function maxRelativeError(analytic: ArrayLike<number>, numeric: ArrayLike<number>, floor = 1e-6): { error: number; index: number; message: string } {
  if (analytic.length !== numeric.length) throw new Error(`length ${analytic.length} vs ${numeric.length}`);
  let error = 0;
  let index = -1;
  for (let i = 0; i < analytic.length; i++) {
    const e = Math.abs(analytic[i] - numeric[i]) / Math.max(Math.abs(analytic[i]), Math.abs(numeric[i]), floor);
    if (e > error || Number.isNaN(e)) {
      error = Number.isNaN(e) ? Infinity : e;
      index = i;
    }
  }
  const message = index < 0 ? 'all equal' : `worst at ${index}: analytic ${analytic[index]} vs numeric ${numeric[index]} (rel ${error})`;
  return { error, index, message };
}

/** Deterministic pseudo-random values in [lo, hi) that avoid (−gap, gap) (keeps ReLU kinks away from ±h). */
export function sampleValues(n: number, seed: number, lo = -2, hi = 2, gap = 0.05): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  while (out.length < n) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const v = lo + ((hi - lo) * s) / 4294967296;
    if (Math.abs(v) >= gap) out.push(v);
  }
  return out;
}

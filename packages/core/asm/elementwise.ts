// Elementwise and row kernels behind dropout, the softmax layer's backward pass and the
// elementwise losses, as src/backend/js/elementwise-losses.ts. Sums and per-element formulas run
// in f64 like JavaScript numbers; only exp / log1p (musl's here, V8's there) may differ by an ulp.

/** y[i] = a[i] · b[i] (the f32 product is the f64 product rounded once: same bits). */
export function multiply(a: usize, b: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(a + o) * load<f32>(b + o));
  }
}

export function softmaxBackward(y: usize, dy: usize, dx: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = (<usize>r * <usize>cols) << 2;
    let dot: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const o = row + (<usize>c << 2);
      dot += <f64>load<f32>(dy + o) * <f64>load<f32>(y + o);
    }
    for (let c = 0; c < cols; c++) {
      const o = row + (<usize>c << 2);
      store<f32>(dx + o, <f32>(<f64>load<f32>(y + o) * (<f64>load<f32>(dy + o) - dot)));
    }
  }
}

/** Target of row r, column c: dense targets, else a one-hot row (or the label itself with one column). */
// @ts-ignore: decorator
@inline function target(t: usize, labels: usize, r: i32, c: i32, cols: i32): f64 {
  if (t) return <f64>load<f32>(t + ((<usize>r * <usize>cols + <usize>c) << 2));
  const label = load<i32>(labels + ((<usize>r) << 2));
  if (cols == 1) return <f64>label;
  return label == c ? 1 : 0;
}

export function squaredError(y: usize, t: usize, labels: usize, dy: usize, rows: i32, cols: i32, scale: f64): f64 {
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const o = (<usize>r * <usize>cols + <usize>c) << 2;
      const diff = <f64>load<f32>(y + o) - target(t, labels, r, c, cols);
      total += diff * diff;
      if (dy) store<f32>(dy + o, <f32>(2 * diff * scale));
    }
  }
  return total;
}

export function sigmoidCrossEntropy(z: usize, t: usize, labels: usize, dz: usize, rows: i32, cols: i32, scale: f64): f64 {
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const o = (<usize>r * <usize>cols + <usize>c) << 2;
      const v = <f64>load<f32>(z + o);
      const tv = target(t, labels, r, c, cols);
      const e = Math.exp(-Math.abs(v));
      total += Math.max(v, 0) - v * tv + Math.log1p(e);
      if (dz) store<f32>(dz + o, <f32>(((v >= 0 ? 1 / (1 + e) : e / (1 + e)) - tv) * scale));
    }
  }
  return total;
}

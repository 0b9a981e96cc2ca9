/** Index of the largest of `cols` values starting at `offset` (first one on ties). */
export function argmaxRow(values: Float32Array, offset: number, cols: number): number {
  let best = 0;
  let bestValue = values[offset];
  for (let c = 1; c < cols; c++) {
    if (values[offset + c] > bestValue) {
      bestValue = values[offset + c];
      best = c;
    }
  }
  return best;
}

/**
 * Estimates throughput and time left from a smoothed rate, so the ETA does not jump about with
 * each batch. `alpha` is the weight of the newest measurement.
 */
export class ThroughputMeter {
  private rate = 0;
  constructor(private readonly alpha = 0.2) {}

  /** Records `samples` processed in `seconds`; returns the smoothed samples per second. */
  record(samples: number, seconds: number): number {
    if (seconds <= 0) return this.rate;
    const current = samples / seconds;
    this.rate = this.rate === 0 ? current : this.alpha * current + (1 - this.alpha) * this.rate;
    return this.rate;
  }

  get samplesPerSecond(): number {
    return this.rate;
  }

  /** Seconds to process `remainingSamples` at the smoothed rate (Infinity before any measurement). */
  eta(remainingSamples: number): number {
    return this.rate > 0 ? remainingSamples / this.rate : Number.POSITIVE_INFINITY;
  }
}

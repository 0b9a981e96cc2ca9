import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A full garbage collection, available without starting Node with --expose-gc. */
export const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Heap and ArrayBuffer bytes in use after a full collection. */
export function settledMemory(): { heapUsed: number; arrayBuffers: number } {
  collectGarbage();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { heapUsed, arrayBuffers };
}

/**
 * Like {@link settledMemory}, but lets pending I/O callbacks run between two collections first, so
 * buffers in flight (e.g. the test runner's own messages) are not counted as the code's.
 */
export async function settledMemoryAsync(): Promise<{ heapUsed: number; arrayBuffers: number }> {
  collectGarbage();
  await new Promise((resolve) => setImmediate(resolve));
  return settledMemory();
}

/** Median of the first (or last) `n` samples minus the other end's: growth that one outlier cannot fake. */
export function robustGrowth(samples: readonly number[], n = 5): number {
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  };
  const k = Math.max(1, Math.min(n, Math.floor(samples.length / 3)));
  return median(samples.slice(-k)) - median(samples.slice(0, k));
}

/** Least-squares slope of `ys` against their index (bytes per sample step). */
export function slope(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const meanX = (n - 1) / 2;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (i - meanX) * (ys[i] - meanY);
    den += (i - meanX) ** 2;
  }
  return num / den;
}

export const KiB = 1024;
export const MiB = 1024 * 1024;

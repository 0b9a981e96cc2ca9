import type { Dataset } from '../../src/data/dataset.js';
import { Rng } from '../../src/random.js';

/**
 * 8×8 images of three classes a CNN separates and a linear model finds harder: a horizontal bar,
 * a vertical bar or a diagonal, each drawn at a random position with noise.
 */
export function barsDataset(count: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const images = new Float32Array(count * 64);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % 3;
    labels[n] = label;
    const at = 1 + Math.floor(rng.uniform() * 6);
    for (let i = 0; i < 64; i++) images[n * 64 + i] = 0.2 * rng.uniform();
    for (let k = 1; k < 7; k++) {
      const [r, c] = label === 0 ? [at, k] : label === 1 ? [k, at] : [k, k];
      images[n * 64 + r * 8 + c] += 0.8;
    }
  }
  return {
    size: count,
    inputSize: 64,
    shape: [1, 8, 8],
    classCount: 3,
    gather(indices, start, rows, x, out) {
      for (let i = 0; i < rows; i++) {
        const e = indices[start + i];
        x.set(images.subarray(e * 64, e * 64 + 64), i * 64);
        out[i] = labels[e];
      }
    },
  };
}

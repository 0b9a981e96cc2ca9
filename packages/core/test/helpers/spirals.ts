import { tensorDataset } from '../../src/data/tensor-dataset.js';
import type { Dataset } from '../../src/data/dataset.js';
import { tensor } from '../../src/tensor.js';

/**
 * Two interleaved spirals (the classic non-linearly-separable toy task): class k's point i lies
 * at radius t and angle t + kπ for t from 0.2 to 3π·0.8. No noise, so 100 % is reachable.
 */
export function twoSpirals(perClass: number, options: { shuffledLabels?: boolean } = {}): Dataset {
  const xs: number[] = [];
  const labels: number[] = [];
  for (let k = 0; k < 2; k++) {
    for (let i = 0; i < perClass; i++) {
      const t = 0.2 + (i / perClass) * 3 * Math.PI * 0.8;
      xs.push((t * Math.cos(t + k * Math.PI)) / 4, (t * Math.sin(t + k * Math.PI)) / 4);
      labels.push(options.shuffledLabels ? (i * 7 + k) % 2 : k);
    }
  }
  return tensorDataset(tensor(xs, [2 * perClass, 2]), labels, 2);
}

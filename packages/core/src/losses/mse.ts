import type { Backend } from '../backend/backend.js';
import { type BatchTarget, checkElementwiseTarget, targetAt } from './loss.js';

/**
 * Mean squared error over all rows·cols values (PyTorch's MSELoss, reduction 'mean'), applied to
 * whatever the model outputs (e.g. a sigmoid or softmax output). Class labels become one-hot
 * targets. Gradient 2·(y − t)/(rows·cols). A plain loop: the Backend has no kernel for it, and it
 * is O(rows·cols), small next to the matrix products.
 */
export function meanSquaredErrorLoss(
  _backend: Backend,
  output: Float32Array,
  target: BatchTarget,
  dOutput: Float32Array | null,
  rows: number,
  cols: number,
): number {
  if (rows === 0) return 0;
  checkElementwiseTarget(target, rows, cols, 'meanSquaredError');
  const count = rows * cols;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const diff = output[i] - targetAt(target, r, c, cols);
      total += diff * diff;
      if (dOutput) dOutput[i] = (2 * diff) / count;
    }
  }
  return total / count;
}

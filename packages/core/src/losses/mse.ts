import type { Backend } from '../backend/backend.js';
import { type BatchTarget, checkElementwiseTarget } from './loss.js';

/**
 * Mean squared error over all rows·cols values (PyTorch's MSELoss, reduction 'mean'), applied to
 * whatever the model outputs (e.g. a sigmoid or softmax output). Class labels become one-hot
 * targets. Gradient 2·(y − t)/(rows·cols), from the backend's `squaredError` kernel.
 */
export function meanSquaredErrorLoss(
  backend: Backend,
  output: Float32Array,
  target: BatchTarget,
  dOutput: Float32Array | null,
  rows: number,
  cols: number,
): number {
  if (rows === 0) return 0;
  checkElementwiseTarget(target, rows, cols, 'meanSquaredError');
  const count = rows * cols;
  const labels = target instanceof Int32Array ? target : null;
  const dense = labels ? null : (target as Float32Array);
  return backend.squaredError(output, dense, labels, dOutput, rows, cols, 1 / count) / count;
}

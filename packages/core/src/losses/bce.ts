import type { Backend } from '../backend/backend.js';
import { type BatchTarget, checkElementwiseTarget } from './loss.js';

/**
 * Binary cross-entropy fused with a sigmoid (PyTorch's BCEWithLogitsLoss, mean over rows·cols):
 * takes logits z and targets t in [0, 1] (class labels become one-hot rows, or 0/1 with a single
 * output), loss = max(z, 0) − z·t + log(1 + e^−|z|), which never overflows. Gradient
 * (σ(z) − t)/(rows·cols), from the backend's `sigmoidCrossEntropy` kernel.
 */
export function binaryCrossEntropyLoss(
  backend: Backend,
  logits: Float32Array,
  target: BatchTarget,
  dLogits: Float32Array | null,
  rows: number,
  cols: number,
): number {
  if (rows === 0) return 0;
  checkElementwiseTarget(target, rows, cols, 'binaryCrossEntropy');
  const count = rows * cols;
  const labels = target instanceof Int32Array ? target : null;
  const dense = labels ? null : (target as Float32Array);
  return backend.sigmoidCrossEntropy(logits, dense, labels, dLogits, rows, cols, 1 / count) / count;
}

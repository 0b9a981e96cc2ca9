import type { Backend } from '../backend/backend.js';
import { type BatchTarget, checkElementwiseTarget, targetAt } from './loss.js';

/**
 * Binary cross-entropy fused with a sigmoid (PyTorch's BCEWithLogitsLoss, mean over rows·cols):
 * takes logits z and targets t in [0, 1] (class labels become one-hot rows, or 0/1 with a single
 * output), loss = max(z, 0) − z·t + log(1 + e^−|z|), which never overflows. Gradient
 * (σ(z) − t)/(rows·cols). A plain loop: the Backend has no kernel for it.
 */
export function binaryCrossEntropyLoss(
  _backend: Backend,
  logits: Float32Array,
  target: BatchTarget,
  dLogits: Float32Array | null,
  rows: number,
  cols: number,
): number {
  if (rows === 0) return 0;
  checkElementwiseTarget(target, rows, cols, 'binaryCrossEntropy');
  const count = rows * cols;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const z = logits[i];
      const t = targetAt(target, r, c, cols);
      const e = Math.exp(-Math.abs(z));
      total += Math.max(z, 0) - z * t + Math.log1p(e);
      if (dLogits) {
        const sigmoid = z >= 0 ? 1 / (1 + e) : e / (1 + e);
        dLogits[i] = (sigmoid - t) / count;
      }
    }
  }
  return total / count;
}

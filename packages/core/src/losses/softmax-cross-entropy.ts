import type { Backend } from '../backend/backend.js';
import { type BatchTarget, checkLabels, checkTargets } from './loss.js';

/**
 * Mean softmax cross-entropy of logits, fused with the softmax and computed with log-sum-exp so
 * large logits cannot overflow. Class-index targets run through the backend's fused kernel;
 * dense (one-hot or soft) targets t use a plain loop with
 * loss = Σ_c t_c·(lse − z_c) and d/dz = softmax(z)·Σt − t.
 * The gradient is that of the MEAN over rows: (softmax − onehot) / rows.
 */
export function softmaxCrossEntropyLoss(
  backend: Backend,
  logits: Float32Array,
  target: BatchTarget,
  dLogits: Float32Array | null,
  rows: number,
  cols: number,
): number {
  const op = 'softmaxCrossEntropy';
  if (rows === 0) return 0;
  if (target instanceof Int32Array) {
    checkLabels(target, rows, cols, op);
    return backend.softmaxCrossEntropy(logits, target, dLogits, rows, cols, 1 / rows) / rows;
  }
  checkTargets(target, rows, cols, op);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    let max = -Infinity;
    for (let c = 0; c < cols; c++) if (logits[row + c] > max) max = logits[row + c];
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(logits[row + c] - max);
    const lse = max + Math.log(sum);
    let targetSum = 0;
    for (let c = 0; c < cols; c++) {
      const t = target[row + c];
      targetSum += t;
      if (t !== 0) total += t * (lse - logits[row + c]);
    }
    if (dLogits) {
      for (let c = 0; c < cols; c++) {
        const p = Math.exp(logits[row + c] - lse);
        dLogits[row + c] = (p * targetSum - target[row + c]) / rows;
      }
    }
  }
  return total / rows;
}

import type { Backend } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import { ConfigError, ErrorCode, ShapeError, formatShape } from '../errors.js';
import { Tensor } from '../tensor.js';
import { binaryCrossEntropyLoss } from './bce.js';
import { type BatchLoss, type BatchTarget, LOSS_NAMES, type LossName } from './loss.js';
import { meanSquaredErrorLoss } from './mse.js';
import { softmaxCrossEntropyLoss } from './softmax-cross-entropy.js';

export { binaryCrossEntropyLoss } from './bce.js';
export { type BatchLoss, type BatchTarget, LOSS_NAMES, type LossName } from './loss.js';
export { meanSquaredErrorLoss } from './mse.js';
export { softmaxCrossEntropyLoss } from './softmax-cross-entropy.js';

const BATCH_LOSSES: Record<LossName, BatchLoss> = {
  cross_entropy: softmaxCrossEntropyLoss,
  mse: meanSquaredErrorLoss,
  bce: binaryCrossEntropyLoss,
};

/** The flat, allocation-free form of a named loss (what `fit` uses). */
export function getBatchLoss(name: LossName): BatchLoss {
  const loss = BATCH_LOSSES[name];
  if (!loss || !Object.hasOwn(BATCH_LOSSES, name)) {
    throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `unknown loss '${name}'; valid losses: ${LOSS_NAMES.join(', ')}`);
  }
  return loss;
}

/** Class labels (one per row) or a dense target tensor shaped like the output. */
export type LossTarget = Tensor | Int32Array | readonly number[];

/**
 * Mean loss of a [batch, classes] output and its gradient dLoss/dOutput (same shape).
 *
 * - 'cross_entropy' expects logits (softmax is fused in); targets are class indices or one-hot rows.
 * - 'bce' expects logits (sigmoid is fused in); targets are one-hot/multi-hot rows or class indices.
 * - 'mse' compares the output as it is (e.g. after a sigmoid) with one-hot rows or dense targets.
 *
 * @throws ShapeError when the target does not fit the output (names both shapes).
 */
export function computeLoss(name: LossName, output: Tensor, target: LossTarget, backend: Backend = getBackend()): { loss: number; grad: Tensor } {
  const op = `loss '${name}'`;
  if (output.rank !== 2) throw new ShapeError(op, `output must be [batch, classes], got ${formatShape(output.shape)}`);
  const [rows, cols] = output.shape;
  const grad = new Tensor(output.shape);
  const loss = getBatchLoss(name)(backend, output.data, toBatchTarget(target, rows, cols, op), grad.data, rows, cols);
  return { loss, grad };
}

/** Softmax cross-entropy of logits against labels or one-hot rows; see `computeLoss`. */
export function softmaxCrossEntropy(logits: Tensor, target: LossTarget): { loss: number; grad: Tensor } {
  return computeLoss('cross_entropy', logits, target);
}

/** Mean squared error; see `computeLoss`. */
export function meanSquaredError(output: Tensor, target: LossTarget): { loss: number; grad: Tensor } {
  return computeLoss('mse', output, target);
}

/** Binary cross-entropy with logits; see `computeLoss`. */
export function binaryCrossEntropyWithLogits(logits: Tensor, target: LossTarget): { loss: number; grad: Tensor } {
  return computeLoss('bce', logits, target);
}

function toBatchTarget(target: LossTarget, rows: number, cols: number, op: string): BatchTarget {
  if (target instanceof Tensor) {
    if (target.rank !== 2 || target.shape[0] !== rows || target.shape[1] !== cols) {
      throw new ShapeError(op, `target ${formatShape(target.shape)} does not match output ${formatShape([rows, cols])}`);
    }
    return target.data;
  }
  if (target.length !== rows) {
    throw new ShapeError(op, `${target.length} labels for output ${formatShape([rows, cols])}: give one class index per row`);
  }
  if (target instanceof Int32Array) return target;
  const labels = Int32Array.from(target);
  target.forEach((v, i) => {
    if (labels[i] !== v) throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `${op}: label ${v} at row ${i} is not a whole class index`);
  });
  return labels;
}

import type { Backend } from '../backend/backend.js';
import { ConfigError, ErrorCode, ShapeError, formatShape } from '../errors.js';

/** Loss names (the CLI spells them ce | mse | bce). */
export const LOSS_NAMES = ['cross_entropy', 'mse', 'bce'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/**
 * Targets of a batch: class indices (Int32Array, one per row), or dense targets (Float32Array,
 * rows·cols values: one-hot rows, probabilities, or regression values).
 */
export type BatchTarget = Int32Array | Float32Array;

/**
 * A loss over the first `rows` rows of a flat [rows, cols] output. Returns the MEAN loss and,
 * when `dOutput` is given, writes dMeanLoss/dOutput into it (overwriting). Allocation-free.
 */
export type BatchLoss = (
  backend: Backend,
  output: Float32Array,
  target: BatchTarget,
  dOutput: Float32Array | null,
  rows: number,
  cols: number,
) => number;

/** A loss value and its gradient with respect to the model output. */
export interface LossResult {
  loss: number;
  grad: Float32Array;
}

/** Throws a ConfigError if a label is not a class index in [0, cols) (never a silent NaN). */
export function checkLabels(labels: Int32Array, rows: number, cols: number, op: string): void {
  if (labels.length < rows) throw new ShapeError(op, `${labels.length} labels for ${rows} rows`);
  for (let r = 0; r < rows; r++) {
    const label = labels[r];
    if (!(label >= 0 && label < cols)) {
      throw new ConfigError(
        ErrorCode.INVALID_ARGUMENT,
        `${op}: label ${label} at row ${r} is not a class index in [0, ${cols}); does the model's output size match the number of classes?`,
      );
    }
  }
}

/** Throws a ShapeError unless dense targets cover rows × cols values. */
export function checkTargets(targets: Float32Array, rows: number, cols: number, op: string): void {
  if (targets.length < rows * cols) {
    throw new ShapeError(op, `targets hold ${targets.length} values but the output ${formatShape([rows, cols])} needs ${rows * cols}`);
  }
}

/**
 * Target value for row r, column c: dense targets are read as given; a class label becomes a
 * one-hot row, or the label itself (0 or 1) when there is a single output column.
 */
export function targetAt(target: BatchTarget, r: number, c: number, cols: number): number {
  if (target instanceof Float32Array) return target[r * cols + c];
  if (cols === 1) return target[r];
  return target[r] === c ? 1 : 0;
}

/** Validates labels or dense targets for an elementwise loss (MSE, BCE). */
export function checkElementwiseTarget(target: BatchTarget, rows: number, cols: number, op: string): void {
  if (target instanceof Float32Array) checkTargets(target, rows, cols, op);
  else checkLabels(target, rows, Math.max(cols, 2), op);
}

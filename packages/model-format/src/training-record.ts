import { z } from 'zod';
import { FormatError, FormatErrorCode } from './errors.js';

/**
 * Epochs accepted in a stored training history (the record's, in either version's layout, and the
 * trainer state's). Far beyond real runs; it bounds what a small file can make the reader build.
 */
export const MAX_HISTORY_EPOCHS = 100_000;
/** Metric values accepted in one whole history (epochs × metrics). */
export const MAX_HISTORY_VALUES = 500_000;

/** Why a history of `epochs` rows and `values` values in all is over the caps, or undefined when it is not. */
export function historySizeProblem(epochs: number, values: number): string | undefined {
  if (epochs > MAX_HISTORY_EPOCHS) return `${epochs} epochs, over the ${MAX_HISTORY_EPOCHS} a checkpoint may hold`;
  if (values > MAX_HISTORY_VALUES) return `${values} values, over the ${MAX_HISTORY_VALUES} a checkpoint may hold`;
  return undefined;
}

/** Rows and values (keys of each row) of a history stored as rows; non-arrays count as empty. */
export function historyRowsSize(rows: unknown): { epochs: number; values: number } {
  if (!Array.isArray(rows)) return { epochs: 0, values: 0 };
  let values = 0;
  // Stop counting once over the cap: the count only needs to say "too many".
  for (let i = 0; i < rows.length && values <= MAX_HISTORY_VALUES && i <= MAX_HISTORY_EPOCHS; i++) {
    const row = rows[i];
    if (typeof row === 'object' && row !== null) values += Object.keys(row).length;
  }
  return { epochs: rows.length, values };
}

/**
 * Refuses a history over {@link MAX_HISTORY_EPOCHS} epochs or {@link MAX_HISTORY_VALUES} values
 * (LIMIT_EXCEEDED), before anything is built from it or validated item by item.
 */
export function checkHistorySize(where: string, epochs: number, values: number): void {
  const problem = historySizeProblem(epochs, values);
  if (problem) throw new FormatError(FormatErrorCode.LIMIT_EXCEEDED, `${where} holds ${problem}: the file is damaged or hostile; restore a good copy`);
}

/** {@link checkHistorySize} for a history stored as rows (format v2, and the trainer state's); anything else is left to the schema. */
export function checkHistoryRows(where: string, rows: unknown): void {
  const { epochs, values } = historyRowsSize(rows);
  checkHistorySize(where, epochs, values);
}

/** A metric value; JSON has no NaN/Infinity, so a non-finite value is stored as null. */
const metric = z.number().nullable();

/** One row of the per-epoch history: the epoch (0-based, as core's `fit` reports it) and its
 * metrics, e.g. loss, accuracy, valLoss, learningRate.  */
export const epochRecordSchema = z.object({ epoch: z.number().int().nonnegative() }).catchall(metric);

/** How a model was trained, stored in the checkpoint so that a result can be traced and reproduced. */
export const trainingRecordSchema = z.strictObject({
  /** What it was trained on: at least a name; any other JSON fields (size, split, preprocessing…). */
  dataset: z.looseObject({ name: z.string() }),
  /** Optimizer, learning rate, batch size, loss, schedule… as given to training. */
  hyperparameters: z.record(z.string(), z.json()),
  /** The training seed, or null when unseeded. */
  seed: z.number().nullable(),
  /** Epochs completed. */
  epochs: z.number().int().nonnegative(),
  /** Metrics after the last epoch (e.g. test accuracy). */
  finalMetrics: z.record(z.string(), metric),
  /**
   * One row per epoch, in order (format v2; v1 stored one array per metric, which cannot say
   * that a metric such as valLoss exists only for some epochs).
   */
  history: z.array(epochRecordSchema),
});

export type EpochRecord = { epoch: number } & Record<string, number | null>;

/** How a model was trained (see {@link trainingRecordSchema} for each field); stored as `training`. */
export interface TrainingRecord {
  /** What it was trained on: at least a name, plus any JSON fields (size, split, preprocessing…). */
  dataset: { name: string } & Record<string, unknown>;
  /** Optimizer, learning rate, batch size, loss, schedule… as given to training (JSON values). */
  hyperparameters: Record<string, unknown>;
  /** The training seed, or null when unseeded. */
  seed: number | null;
  /** Epochs completed. */
  epochs: number;
  /** Metrics after the last epoch; NaN/Infinity are stored as null. */
  finalMetrics: Record<string, number | null>;
  /** One row per epoch, e.g. core's `TrainingHistory.epochs`. */
  history: EpochRecord[];
}

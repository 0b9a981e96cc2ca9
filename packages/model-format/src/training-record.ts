import type { EpochRecord as CoreEpochRecord, TrainingHyperparameters } from '@scratchnet/core';
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

/**
 * One row of the per-epoch history, exactly core's `EpochRecord` (format v4): `epoch` 0-based,
 * the epoch's training `loss` and `accuracy`, `valLoss`/`valAccuracy` when there was a validation
 * set, the `learningRate` at its last step, and optionally its wall-clock `seconds` (not part of
 * core's record: timings differ between runs). Nothing else: older layouts are migrated on read
 * (v3 → v4 in migrations.ts).
 */
export const epochRecordSchema = z.strictObject({
  epoch: z.number().int().nonnegative(),
  loss: metric,
  accuracy: metric,
  valLoss: metric.optional(),
  valAccuracy: metric.optional(),
  learningRate: metric.optional(),
  seconds: metric.optional(),
});

/**
 * What the run trained on: at least a name (as `--dataset` takes it, or a label); the CLI adds
 * where it came from and the split's sizes. Any other JSON fields are kept.
 */
export const datasetRecordSchema = z.looseObject({
  name: z.string(),
  source: z.string().optional(),
  train: z.number().int().nonnegative().optional(),
  validation: z.number().int().nonnegative().optional(),
  test: z.number().int().nonnegative().optional(),
  valSplit: z.number().min(0).max(1).optional(),
  dataDir: z.string().optional(),
});

/** How a model was trained, stored in the checkpoint so that a result can be traced, reproduced and resumed. */
export const trainingRecordSchema = z
  .strictObject({
    dataset: datasetRecordSchema,
    /**
     * The run's settings, named as core's `TrainingHyperparameters` (the CLI's flag names: arch,
     * activations, dropout, optimizer, loss, lr, batchSize, epochs, seed, valSplit, schedule…).
     * Their values are checked where they are used (the CLI's --resume checks them as flags).
     */
    hyperparameters: z.record(z.string(), z.json()),
    /** The training seed, or null when unseeded. */
    seed: z.number().nullable(),
    /** Epochs completed. */
    epochs: z.number().int().nonnegative(),
    /** Metrics after the last epoch (e.g. test accuracy). */
    finalMetrics: z.record(z.string(), metric),
    /** One row per completed epoch, in order from epoch 0 (a run that kept none, e.g. `tune`'s, may hold fewer). */
    history: z.array(epochRecordSchema),
  })
  .superRefine((record, ctx) => {
    const wrong = record.history.findIndex((row, i) => row.epoch !== i);
    if (wrong >= 0) {
      ctx.addIssue({ code: 'custom', path: ['history', wrong, 'epoch'], message: `history row ${wrong} is epoch ${record.history[wrong].epoch}; rows are epochs 0, 1, 2, … in order` });
    }
  });

/** One epoch's metrics as stored: core's `EpochRecord` with null for a non-finite value, plus optional seconds. */
export type StoredEpochRecord = z.output<typeof epochRecordSchema>;
/** @deprecated the name before v4; use StoredEpochRecord. */
export type EpochRecord = StoredEpochRecord;

/** How a model was trained (see {@link trainingRecordSchema} for each field); stored as `training`. */
export interface TrainingRecord {
  /** What it was trained on: at least a name, plus the source and split sizes when known. */
  dataset: z.output<typeof datasetRecordSchema>;
  /** The run's settings under core's `TrainingHyperparameters` names (plus any other JSON fields). */
  hyperparameters: TrainingHyperparameters & Record<string, unknown>;
  /** The training seed, or null when unseeded. */
  seed: number | null;
  /** Epochs completed. */
  epochs: number;
  /** Metrics after the last epoch; NaN/Infinity are stored as null. */
  finalMetrics: Record<string, number | null>;
  /** One row per epoch from epoch 0, e.g. core's `TrainingHistory.epochs`. */
  history: StoredEpochRecord[];
}

/** A stored history row from core's record (non-finite values become null, as JSON stores them). */
export function storedEpochRecord(record: CoreEpochRecord, seconds?: number): StoredEpochRecord {
  const v = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? null : x);
  const row: StoredEpochRecord = { epoch: record.epoch, loss: v(record.loss), accuracy: v(record.accuracy) };
  if (record.valLoss !== undefined) row.valLoss = v(record.valLoss);
  if (record.valAccuracy !== undefined) row.valAccuracy = v(record.valAccuracy);
  row.learningRate = v(record.learningRate);
  if (seconds !== undefined) row.seconds = v(seconds);
  return row;
}

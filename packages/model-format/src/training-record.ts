import { z } from 'zod';

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

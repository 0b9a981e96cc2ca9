import { z } from 'zod';

/** A metric value; JSON has no NaN/Infinity, so a non-finite value is stored as null. */
const metric = z.number().nullable();

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
  /** Per-epoch metrics, one array per metric name (e.g. loss, accuracy), one entry per epoch. */
  history: z.record(z.string(), z.array(metric)),
});

export interface TrainingRecord {
  dataset: { name: string } & Record<string, unknown>;
  hyperparameters: Record<string, unknown>;
  seed: number | null;
  epochs: number;
  finalMetrics: Record<string, number | null>;
  history: Record<string, Array<number | null>>;
}

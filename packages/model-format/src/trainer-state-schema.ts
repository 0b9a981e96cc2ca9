import { z } from 'zod';

const floats = z.instanceof(Float32Array);
const count = z.number().int().nonnegative();
const uint32 = z.number().int().min(0).max(0xffffffff);
/** Any number including NaN and ±Infinity (a fresh RNG's spare normal is NaN, an unset best is ±Infinity). */
const num = z.custom<number>((v) => typeof v === 'number', 'expected a number');

/**
 * Structure of core's `TrainerState` after decoding (Float32Arrays restored). Checked so that a
 * file cannot hand `fit({ resumeFrom })` something of the wrong shape; whether the state fits the
 * run (seed, batch size, dataset) is checked by core when resuming.
 */
export const trainerStateSchema = z.object({
  version: z.literal(1),
  seed: num,
  batchSize: count,
  datasetSize: count,
  epoch: count,
  batch: count,
  globalStep: count,
  /** xoshiro128** state: four uint32 words, then the spare normal (NaN when none is cached). */
  rng: z.tuple([uint32, uint32, uint32, uint32, num]),
  optimizer: z.object({
    type: z.enum(['sgd', 'momentum', 'rmsprop', 'adam', 'adamw']),
    step: count,
    learningRate: num,
    slots: z.record(z.string(), floats),
  }),
  history: z.object({
    epochs: z.array(z.object({ epoch: count, loss: num, accuracy: num, learningRate: num }).catchall(num)),
    stoppedEarly: z.boolean(),
    bestEpoch: count.optional(),
  }),
  epochTotals: z.object({ lossSum: num, correct: num, seen: num }),
  earlyStopping: z
    .object({
      monitor: z.enum(['val_loss', 'val_accuracy', 'loss', 'accuracy']),
      best: num,
      bestEpoch: z.number().int(),
      wait: count,
      bestWeights: z.record(z.string(), floats).nullable(),
    })
    .nullable(),
});

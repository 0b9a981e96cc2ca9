import { CNN_ARCHITECTURES, DIGITS_AUGMENT, trainLimitIndices } from '@scratchnet/core';
import type { DatasetBytes } from '../../../shared/bridge-api.js';
import { DIGIT_COLS, DIGIT_ROWS, type DigitSet } from '../../../shared/handwriting-files.js';
import { describeArchitecture, type ModelSnapshot } from '../model/model-snapshot.js';
import { configFromSettings } from '../train/run-settings.js';
import type { TrainConfig } from '../training/worker-protocol.js';

/** How a fine-tune mixes and trains; the Teach view's README section quotes these. */
export const FINE_TUNE = {
  /**
   * Base digits mixed in: a seeded random sample of the offline training digits (their file is
   * ordered by class, so the first ones would all be 0s and 1s). Twice the 1,200 of before: with
   * augmentation on, more base digits keep the offline test digits up and lose fewer of the
   * drawings the model already read (bench/drawings/FINE-TUNE-GAIN.md).
   */
  baseDigits: 2400,
  /** The user's drawings are repeated to about half as many rows as the base digits: a third of the mix. */
  drawingsPerBaseDigit: 0.5,
  /**
   * Measured in bench/drawings/FINE-TUNE-GAIN.md: five handwriting fonts the quick model misreads,
   * 24 drawings each, five folds: the held-out drawings went 109 → 159 of 179 read right with these
   * settings against 109 → 141 with the old ones (6 epochs at 0.0005, no augmentation, 1,200 base digits).
   */
  epochs: 12,
  batchSize: 32,
  /** Lower than the quick preset's 0.003, so the weights move towards the drawings without forgetting the base. */
  learningRate: 0.001,
  seed: 1,
  /**
   * Small random tilts, shifts and size changes of every row (core's DIGITS_AUGMENT), so 20-odd
   * drawings teach a shape rather than 20-odd exact images: more epochs or a higher rate without
   * it added nothing on the writers the settings were chosen on.
   */
  augment: DIGITS_AUGMENT,
} as const;

/**
 * The fine-tuning set: the base digits (so the model does not forget them) and the user's
 * training drawings repeated to about a third of the mix. Held-out drawings are never in it.
 */
export function mixForFineTune(drawings: DigitSet, base: DatasetBytes, options: { baseDigits?: number; drawingsPerBaseDigit?: number } = {}): DatasetBytes {
  const pixels = base.rows * base.cols;
  const baseCount = Math.min(base.count, options.baseDigits ?? FINE_TUNE.baseDigits);
  const ratio = options.drawingsPerBaseDigit ?? FINE_TUNE.drawingsPerBaseDigit;
  const repeats = drawings.count === 0 ? 0 : Math.max(1, Math.round((baseCount * ratio) / drawings.count));
  const count = baseCount + drawings.count * repeats;
  const images = new Uint8Array(count * pixels);
  const labels = new Uint8Array(count);
  const sample = trainLimitIndices(base.count, baseCount, FINE_TUNE.seed) ?? Int32Array.from({ length: baseCount }, (_, i) => i);
  for (const [k, i] of sample.entries()) {
    images.set(base.images.subarray(i * pixels, (i + 1) * pixels), k * pixels);
    labels[k] = base.labels[i];
  }
  for (let r = 0; r < repeats; r++) {
    const at = baseCount + r * drawings.count;
    images.set(drawings.images, at * pixels);
    labels.set(drawings.labels, at);
  }
  return { source: `your drawings ×${repeats} + ${baseCount} offline digits`, count, rows: base.rows, cols: base.cols, images, labels };
}

/**
 * The run settings for fine-tuning `model`: its own recorded settings (architecture, loss) where
 * it has them, with the fine-tune's optimizer, rate, batch size, epochs and augmentation.
 */
export function fineTuneConfig(model: ModelSnapshot): TrainConfig {
  const recorded = model.training?.hyperparameters ?? {};
  return {
    ...configFromSettings({ ...recorded, arch: recorded.arch ?? recordableArchitecture(model) }),
    optimizer: 'adam',
    learningRate: FINE_TUNE.learningRate,
    batchSize: FINE_TUNE.batchSize,
    epochs: FINE_TUNE.epochs,
    seed: FINE_TUNE.seed,
    schedule: 'constant',
    augment: FINE_TUNE.augment,
  };
}

/**
 * The architecture to record for a model that came without its settings (an ONNX upload): the
 * layer string of one of core's CNNs, else the short name ("784-64-10" parses as an MLP).
 */
function recordableArchitecture(model: ModelSnapshot): string {
  const name = describeArchitecture(model.spec);
  return (CNN_ARCHITECTURES as Record<string, string>)[name] ?? name;
}

/** Drawings as the worker's data set bytes (28×28). */
export function digitSetBytes(set: DigitSet, source: string): DatasetBytes {
  return { source, count: set.count, rows: DIGIT_ROWS, cols: DIGIT_COLS, images: set.images, labels: set.labels };
}

import { ConfigError, ErrorCode } from '../errors.js';
import { resolveOptimizerConfig } from '../optim/optimizer-config.js';
import { OPTIMIZER_TYPES, type OptimizerType } from '../optim/optimizer-types.js';
import { formatAugmentSpec, parseAugmentSpec } from '../train/augment-spec.js';
import { RUN_LOSSES, type TrainingHyperparameters } from './hyperparameters.js';
import { parseImageSizeText } from './image-size.js';
import { TRAINING_PRESET_NAMES } from './presets.js';
import { parseScheduleText } from './schedule-text.js';
import { parseChoice, parseFraction, parsePositiveInteger, parsePositiveNumber, parseSeed } from './setting-values.js';

/** A batch of 65,536 MNIST images is already 205 MB of float32 input; larger is a typo. */
export const MAX_RUN_BATCH_SIZE = 65_536;
/**
 * A checkpoint holds at most 500,000 values of history (model-format's MAX_HISTORY_VALUES; it
 * refuses more, so a file cannot make the reader do unbounded work) and an epoch's row at most 8.
 */
export const MAX_RUN_EPOCHS = 62_500;
/** A sanity cap on threads: past this, hand-offs cost more than any network here can gain. */
export const MAX_RUN_THREADS = 64;

/** The settings a rule below checks: every hyperparameter whose value is more than free text. */
type Checked = Exclude<keyof TrainingHyperparameters, 'dataset' | 'dataDir' | 'arch' | 'activations'>;

/**
 * How each run setting is read from text, once for both front ends: the CLI's flags and
 * `--config` keys, and the desktop's Train form fields. `flag` names the source in the message
 * ("--epochs", "c.json: epochs"). Each returns the value or throws ConfigError INVALID_ARGUMENT.
 */
export const RUN_SETTING_RULES: { readonly [K in Checked]-?: (value: string, flag: string) => NonNullable<TrainingHyperparameters[K]> } = {
  imageSize: (v, f) => {
    parseImageSizeText(v, f);
    return v.trim();
  },
  channels: (v, f) => Number(parseChoice(f, v, ['1', '3'])),
  preset: (v, f) => parseChoice(f, v, TRAINING_PRESET_NAMES),
  dropout: (v, f) => parseFraction(f, v, 1, 0.2),
  optimizer: (v, f) => parseChoice(f, v, OPTIMIZER_TYPES),
  loss: (v, f) => parseChoice(f, v, RUN_LOSSES),
  lr: (v, f) => parsePositiveNumber(f, v, 0.001),
  momentum: (v, f) => parseFraction(f, v, 1, 0.9),
  weightDecay: (v, f) => (Number(v) === 0 ? 0 : parsePositiveNumber(f, v, 0.0001)),
  batchSize: (v, f) => parsePositiveInteger(f, v, 64, MAX_RUN_BATCH_SIZE),
  epochs: (v, f) => parsePositiveInteger(f, v, 5, MAX_RUN_EPOCHS),
  seed: (v, f) => parseSeed(f, v),
  valSplit: (v, f) => parseFraction(f, v, 1, 0.1),
  schedule: (v, f) => {
    try {
      parseScheduleText(v);
    } catch (error) {
      const message = `--${(error as Error).message}`;
      throw new ConfigError(ErrorCode.INVALID_ARGUMENT, f === '--schedule' ? message : `${f}: ${message}`);
    }
    return v;
  },
  earlyStopping: (v, f) => parsePositiveInteger(f, v, 3),
  augment: (v, f) => formatAugmentSpec(parseAugmentSpec(v, f)),
  trainLimit: (v, f) => parsePositiveInteger(f, v, 1000),
};

/** `batchSize` → `--batch-size`: the flag each setting is given with. */
export function runSettingFlag(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Optimizers that take momentum (core's optimizers refuse the option for the others). */
const WITH_MOMENTUM: readonly string[] = ['sgd', 'momentum'];

/**
 * The optimizer settings checked together, before any data is loaded (the optimizer would refuse
 * the same combination, but only when training starts). The message names flags.
 * @throws ConfigError INVALID_ARGUMENT.
 */
export function checkRunOptimizer(settings: { optimizer: OptimizerType; lr: number; momentum?: number; weightDecay?: number }): void {
  if (settings.momentum !== undefined && !WITH_MOMENTUM.includes(settings.optimizer)) {
    throw new ConfigError(
      ErrorCode.INVALID_ARGUMENT,
      `--momentum applies to --optimizer sgd or momentum, not ${settings.optimizer}; drop --momentum, or use --optimizer momentum`,
    );
  }
  try {
    resolveOptimizerConfig({ type: settings.optimizer, lr: settings.lr, momentum: settings.momentum, weightDecay: settings.weightDecay });
  } catch (error) {
    throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `optimizer flags: ${(error as Error).message}`);
  }
}

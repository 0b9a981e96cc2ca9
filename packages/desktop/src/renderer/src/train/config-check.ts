import {
  checkRunOptimizer,
  formatShape,
  type ModelSpec,
  modelInputShape,
  parsePositiveInteger,
  RUN_SETTING_RULES,
  runSettingFlag,
  type Shape,
  validateModelSpec,
} from '@scratchnet/core';
import { IMAGE_SHAPE } from '../data/dataset-catalog.js';
import { specFromConfig } from '../model/spec-from-config.js';
import type { TrainConfig } from '../training/worker-protocol.js';

/** The Train form's fields as typed, by the TrainConfig name each fills ('' = empty). */
export interface FormValues {
  architecture: string;
  activations: string;
  dropout: string;
  optimizer: string;
  learningRate: string;
  batchSize: string;
  epochs: string;
  seed: string;
  loss: string;
  schedule: string;
  weightDecay: string;
  momentum: string;
  earlyStopping: string;
  valSplit: string;
  /** The spec when the augmentation switch is on, '' when it is off. */
  augment: string;
  trainLimit: string;
}

export type FieldName = keyof FormValues | 'threads';
/** One message per field that is wrong: what the CLI says of the same value given as its flag. */
export type FieldProblems = Partial<Record<FieldName, string>>;

type RuleKey = keyof typeof RUN_SETTING_RULES;
/**
 * Each checked field → core's rule (the CLI's flags and `--config` keys use the same table) and
 * whether an empty field means "not set" (the CLI's flag left out) rather than a mistake.
 */
const FIELD_RULES: ReadonlyArray<[Exclude<keyof FormValues, 'architecture' | 'activations'>, RuleKey, 'optional' | 'required']> = [
  ['dropout', 'dropout', 'required'],
  ['optimizer', 'optimizer', 'required'],
  ['learningRate', 'lr', 'required'],
  ['batchSize', 'batchSize', 'required'],
  ['epochs', 'epochs', 'required'],
  ['seed', 'seed', 'required'],
  ['loss', 'loss', 'required'],
  ['schedule', 'schedule', 'required'],
  ['weightDecay', 'weightDecay', 'optional'],
  ['momentum', 'momentum', 'optional'],
  ['earlyStopping', 'earlyStopping', 'optional'],
  ['valSplit', 'valSplit', 'required'],
  ['augment', 'augment', 'optional'],
  ['trainLimit', 'trainLimit', 'optional'],
];

/** The form's text for a configuration (a preset's, or one a checkpoint recorded). */
export function formValues(config: TrainConfig): FormValues {
  const text = (v: number | string | undefined) => (v === undefined ? '' : String(v));
  return {
    architecture: config.architecture,
    activations: config.activations,
    dropout: text(config.dropout),
    optimizer: config.optimizer,
    learningRate: text(config.learningRate),
    batchSize: text(config.batchSize),
    epochs: text(config.epochs),
    seed: text(config.seed),
    loss: config.loss ?? 'ce',
    schedule: config.schedule ?? 'constant',
    weightDecay: text(config.weightDecay),
    momentum: text(config.momentum),
    earlyStopping: text(config.earlyStopping),
    valSplit: text(config.valSplit ?? 0.1),
    augment: config.augment === undefined || config.augment === 'off' ? '' : config.augment,
    trainLimit: text(config.trainLimit),
  };
}

export interface FormCheck {
  /** What the fields say, read by core's rules (meaningful only when `problems` is empty). */
  config: TrainConfig;
  problems: FieldProblems;
}

/**
 * Reads the form with core's rules, one message per field, so a typo is explained next to its
 * field before a run starts — in the CLI's words for the same value. `model` checks the layers
 * fit the images and classes; pass `{ keep: spec }` when continuing a model whose layers stay.
 */
export function readForm(values: FormValues, model: { imageShape?: Shape; classCount?: number; keep?: ModelSpec } = {}): FormCheck {
  const problems: FieldProblems = {};
  const read: Record<string, unknown> = {};
  for (const [field, rule, kind] of FIELD_RULES) {
    const text = values[field].trim();
    if (text === '' && kind === 'optional') continue;
    try {
      read[field] = RUN_SETTING_RULES[rule](text, runSettingFlag(rule));
    } catch (error) {
      problems[field] = (error as Error).message;
    }
  }
  const config = {
    architecture: values.architecture.trim(),
    activations: values.activations.trim(),
    ...read,
  } as TrainConfig;
  if (config.augment === 'off') delete config.augment;
  // The optimizer settings together (momentum only for sgd and momentum, …), as far as each was read.
  if (!(problems.optimizer || problems.momentum)) {
    try {
      const lr = problems.learningRate ? 0.001 : config.learningRate;
      checkRunOptimizer({ optimizer: config.optimizer, lr, momentum: config.momentum, weightDecay: problems.weightDecay ? undefined : config.weightDecay });
    } catch (error) {
      const message = (error as Error).message;
      problems[message.startsWith('--momentum') ? 'momentum' : 'optimizer'] = message;
    }
  }
  const imageShape = model.imageShape ?? IMAGE_SHAPE;
  const classCount = model.classCount ?? 10;
  try {
    const spec = model.keep ?? specFromConfig(config);
    const fits = checkModelFits(spec, imageShape, classCount);
    if (fits.length) problems.architecture = fits.join(' ');
  } catch (error) {
    problems.architecture = (error as Error).message;
  }
  return { config, problems };
}

/** The threads field: core's whole-number rule, capped at this machine's cores. */
export function readThreads(text: string, cores: number): { threads: number; problem?: string } {
  try {
    return { threads: parsePositiveInteger('--threads', text.trim(), Math.min(2, cores), cores) };
  } catch (error) {
    return { threads: 1, problem: (error as Error).message };
  }
}

/**
 * What is wrong with a training configuration (a preset's, a checkpoint's, the form's), one
 * message per problem: empty when it can start.
 */
export function checkTrainConfig(config: TrainConfig, imageShape: Shape = IMAGE_SHAPE, classCount = 10): string[] {
  return Object.values(readForm(formValues(config), { imageShape, classCount }).problems);
}

/**
 * Whether a model (typed in, or the current one to continue from) takes these images and has one
 * output per class. The shapes come from the layer registry (`validateModelSpec`).
 */
export function checkModelFits(spec: ModelSpec, imageShape: Shape = IMAGE_SHAPE, classCount = 10): string[] {
  const problems: string[] = [];
  const input = modelInputShape(spec);
  const pixels = imageShape.reduce((a, b) => a * b, 1);
  if (input.length === 1) {
    if (input[0] !== pixels) problems.push(`Layers must start with ${pixels} (the image has ${pixels} pixels), not ${input[0]}.`);
  } else if (input.length !== imageShape.length || input.some((d, i) => d !== imageShape[i])) {
    problems.push(`Layers must start with ${imageShape.join('x')} (the images are ${formatShape(imageShape)}), not ${input.join('x')}.`);
  }
  const output = validateModelSpec(spec);
  if (output.length !== 1 || output[0] !== classCount) {
    problems.push(`Layers must end with ${classCount} (one output per class), not ${output.length === 1 ? output[0] : formatShape(output)}.`);
  }
  return problems;
}

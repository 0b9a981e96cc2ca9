import type { LossName } from '../losses/loss.js';
import type { OptimizerType } from '../optim/optimizer-types.js';

/** Losses as both front ends spell them (`--loss ce`), in menu order. */
export const RUN_LOSSES = Object.freeze(['ce', 'mse', 'bce'] as const);
export type RunLoss = (typeof RUN_LOSSES)[number];

/** A run's loss spelling → core's loss name. */
export const RUN_LOSS_NAMES: Readonly<Record<RunLoss, LossName>> = Object.freeze({ ce: 'cross_entropy', mse: 'mse', bce: 'bce' });

/**
 * The settings of one training run, named as the CLI's flags are (camelCase): what a preset sets,
 * what the desktop's Train form edits, and what a checkpoint's training record stores as
 * `hyperparameters` (model-format validates these fields by name and type). A run written by one
 * front end resumes in the other because both read and write these names.
 */
export type TrainingHyperparameters = {
  /** Data set name as `--dataset` takes it ('mnist', 'fashion-mnist', 'digits', …). */
  dataset?: string;
  /** Folder of IDX files the data came from, when not the cache (or an image folder, or a CSV). */
  dataDir?: string;
  /** Size an image folder's images are brought to: '28' or '32x32'. */
  imageSize?: string;
  /** Channels an image folder's images are brought to: 1 or 3. */
  channels?: number;
  /** The preset the run started from, if any. */
  preset?: string;
  /** '784-128-10', the layer-by-layer syntax, or a JSON ModelSpec as text. */
  arch?: string;
  /** Hidden activations of a sizes architecture: 'relu' or 'relu,selu,tanh'. */
  activations?: string;
  /** Dropout after each hidden activation of a sizes architecture (0 = none). */
  dropout?: number;
  optimizer?: OptimizerType;
  loss?: RunLoss;
  lr?: number;
  momentum?: number;
  weightDecay?: number;
  batchSize?: number;
  /** Epochs the run is meant to reach in all (a resumed run counts those already done). */
  epochs?: number;
  seed?: number;
  /** Fraction of the training set kept for validation. */
  valSplit?: number;
  /** Learning-rate schedule as text: 'constant', 'cosine', 'step:5:0.5', … (see parseScheduleText). */
  schedule?: string;
  earlyStopping?: number;
  trainLimit?: number;
  /** Random distortions of the training images, as `--augment` spells them ('rotate=10,shift=2,scale=0.1'). */
  augment?: string;
};

/** Hyperparameters that define the trajectory of a run; a resume needs all of them. */
export const REQUIRED_RUN_SETTINGS = Object.freeze([
  'dataset',
  'arch',
  'activations',
  'dropout',
  'optimizer',
  'loss',
  'lr',
  'batchSize',
  'epochs',
  'seed',
  'valSplit',
  'schedule',
] as const satisfies ReadonlyArray<keyof TrainingHyperparameters>);

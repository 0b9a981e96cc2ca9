import { OPTIMIZER_TYPES, type OptimizerType, type RunLoss } from '@scratchnet/core';
import type { DatasetBytes } from '../../../shared/bridge-api.js';
import type { ModelSnapshot } from '../model/model-snapshot.js';
import type { LayerStatsReport } from './layer-histograms.js';

/** core's one list of optimizers (the CLI's --optimizer choices too). */
export const OPTIMIZERS = OPTIMIZER_TYPES;
export type OptimizerName = OptimizerType;

/**
 * Everything that defines a training run; presets fill it in, the Train screen edits it. It is
 * core's TrainingHyperparameters under the form's names (see train/run-settings.ts for the mapping):
 * `architecture` is `arch`, `learningRate` is `lr`; the fields the form does not show come from
 * the preset or the loaded checkpoint.
 */
export interface TrainConfig {
  /** Layer sizes ("784-16-16-10"), or layers one by one ("1x28x28-conv(6,5,pad=2)-relu-maxpool(2)-flatten-10"). */
  architecture: string;
  /** Hidden activations of a sizes architecture: one name ("relu") or one per hidden layer ("relu,selu,tanh"); unused for layers one by one. */
  activations: string;
  /** Dropout after each hidden activation of a sizes architecture (0 = none). */
  dropout: number;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  epochs: number;
  seed: number;
  /** Loss as the CLI spells it (default 'ce'); 'mse' gives the model a sigmoid output. */
  loss?: RunLoss;
  /** Learning-rate schedule as text ('constant' by default, 'cosine', 'step:5:0.5', …). */
  schedule?: string;
  weightDecay?: number;
  momentum?: number;
  /** Fraction of the training images kept for validation (default 0.1). */
  valSplit?: number;
  /** Random distortions of the training images, as `--augment` spells them ('rotate=10,shift=2,scale=0.1'). */
  augment?: string;
  /** Stop when validation loss has not improved for this many epochs, keeping the best weights (`--early-stopping`). */
  earlyStopping?: number;
  /** Train on a seeded random subset of this many training images (`--train-limit`). */
  trainLimit?: number;
}

/** Page → worker. */
export type WorkerRequest =
  | {
      type: 'train';
      runId: number;
      config: TrainConfig;
      datasetLabel: string;
      /** The data set's name as the CLI's --dataset takes it, or the app's choice; recorded in the checkpoint. */
      datasetName?: string;
      classNames: string[];
      train: DatasetBytes;
      validation: DatasetBytes;
      /** Continue from these weights instead of a fresh initialisation. */
      initial?: ModelSnapshot;
      /** Resume `initial`'s interrupted run exactly (its trainer state); see `canResume`. */
      resume?: boolean;
      /**
       * Threads for the kernels, this worker included (default 1). Not a setting of the run: 1 and
       * n threads give bit-identical weights, so it is not recorded in the checkpoint.
       */
      threads?: number;
    }
  | { type: 'pause'; runId: number }
  | { type: 'resume'; runId: number }
  | { type: 'stop'; runId: number }
  | { type: 'evaluate'; requestId: number; snapshot: ModelSnapshot; data: DatasetBytes };

/** A point on the live charts. `epoch` is fractional for points inside an epoch. */
export interface ProgressPoint {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
}

/** Worker → page. */
export type WorkerEvent =
  | {
      type: 'started';
      runId: number;
      parameterCount: number;
      /** The kernels in use: 'wasm' or 'js'. */
      backend: string;
      /** Threads the kernels run on (fewer than asked where workers or shared memory are missing). */
      threads: number;
      stepsPerEpoch: number;
      totalSteps: number;
      /** The untrained (or loaded) model on the validation set: where the curves start, at epoch 0. */
      baselineValidationLoss: number;
      baselineValidationAccuracy: number;
    }
  | ({ type: 'progress'; runId: number; step: number; totalSteps: number; samplesPerSecond: number; etaSeconds: number } & ProgressPoint)
  | {
      type: 'epoch';
      runId: number;
      epoch: number;
      trainLoss: number;
      trainAccuracy: number;
      validationLoss: number;
      validationAccuracy: number;
      snapshot: ModelSnapshot;
    }
  /** Weight and gradient histograms and the first layer's weights, for the Network views (layer-histograms.ts). */
  | ({ type: 'layer-stats'; runId: number } & LayerStatsReport)
  | { type: 'paused'; runId: number }
  | { type: 'resumed'; runId: number }
  | {
      type: 'finished';
      runId: number;
      reason: 'completed' | 'stopped';
      snapshot: ModelSnapshot;
      /** Training images per second over the whole of `fit` (its per-epoch validation passes included). */
      meanSamplesPerSecond: number;
    }
  | { type: 'failed'; runId: number; code: string; message: string }
  | {
      type: 'evaluated';
      requestId: number;
      loss: number;
      accuracy: number;
      /** Predicted class per example. */
      predictions: Uint8Array;
      /** Class probabilities, count × classes. */
      probabilities: Float32Array;
    }
  | { type: 'evaluate-failed'; requestId: number; code: string; message: string };

import type { Dataset } from '../data/dataset.js';
import type { LossName } from '../losses/loss.js';
import type { Optimizer, OptimizerConfig, OptimizerState, ScheduleConfig } from '../optim/types.js';
import type { RngState } from '../random.js';
import type { AugmentConfig } from './augment-config.js';

/** The part of AbortSignal that `fit` reads (so core needs no DOM or Node types). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

/** One finished epoch. Deterministic: a resumed run reproduces these bit for bit. */
export interface EpochRecord {
  /** 0-based epoch number. */
  epoch: number;
  /** Mean training loss over the epoch's examples (dropout active, weights changing). */
  loss: number;
  /** Training accuracy over the epoch's examples. */
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  /** Learning rate at the epoch's last step. */
  learningRate: number;
}

/** What `fit` resolves to. */
export interface TrainingHistory {
  epochs: EpochRecord[];
  /** True when early stopping ended training before `epochs`. */
  stoppedEarly: boolean;
  /** 0-based epoch with the best monitored value (early stopping only). */
  bestEpoch?: number;
}

/** Passed to `onBatchEnd`. One object reused for every batch: copy fields you want to keep. */
export interface BatchEndInfo {
  epoch: number;
  /** 0-based batch within the epoch. */
  batch: number;
  batchesPerEpoch: number;
  /** Optimizer steps taken in the whole run so far. */
  globalStep: number;
  /** Mean loss of this batch. */
  loss: number;
  /** Fraction of the whole run done, in (0, 1]. */
  progress: number;
  learningRate: number;
  /** Snapshot to resume from exactly here (pair it with `model.stateDict()` taken now). */
  trainerState(): TrainerState;
}

/** Passed to `onEpochEnd`. */
export interface EpochEndInfo extends EpochRecord {
  /** Wall-clock seconds the epoch took (including validation). */
  seconds: number;
  /** Training examples per second in this epoch. */
  samplesPerSecond: number;
  history: TrainingHistory;
  trainerState(): TrainerState;
}

/** Callbacks may return a promise; `fit` awaits it before going on. */
export interface FitCallbacks {
  onBatchEnd?(info: BatchEndInfo): void | Promise<void>;
  onEpochEnd?(info: EpochEndInfo): void | Promise<void>;
}

export type MonitorName = 'val_loss' | 'val_accuracy' | 'loss' | 'accuracy';

export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping. */
  patience: number;
  /** Default 'val_loss' with validation data, else 'loss'. */
  monitor?: MonitorName;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Put back the best epoch's weights when stopping or finishing (default true). */
  restoreBestWeights?: boolean;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  /** Default 'cross_entropy' (the model should output logits). */
  loss?: LossName;
  /** A config (an optimizer is created over the model's parameters) or an optimizer. */
  optimizer: OptimizerConfig | Optimizer;
  /** Learning-rate schedule over the base rate `optimizer.lr` (default constant). */
  schedule?: ScheduleConfig;
  /** Seed for shuffling and dropout (default 0). */
  seed?: number;
  /** Shuffle the training set every epoch (default true). */
  shuffle?: boolean;
  validation?: Dataset;
  /**
   * Random distortions of the training examples (never of validation data), drawn per example
   * from (seed, epoch, batch): deterministic and exact on resume. Works on [channels, height,
   * width] images: the model's input shape, else the data set's `shape`, else a flat model with a
   * square input size (784 → [1, 28, 28]). Pixels outside the image read as 0 (background).
   */
  augment?: AugmentConfig;
  earlyStopping?: EarlyStoppingOptions;
  /** Aborting stops training between batches with TrainingAbortedError (code ABORTED). */
  signal?: AbortSignalLike;
  callbacks?: FitCallbacks;
  /** Continue a run from a TrainerState (the model must hold the weights taken with it). */
  resumeFrom?: TrainerState;
  /** Yield to the event loop after about this much work (default 50 ms), so UIs and signals run. */
  yieldEveryMs?: number;
}

/** Early-stopping bookkeeping, part of TrainerState. */
export interface EarlyStoppingState {
  monitor: MonitorName;
  best: number;
  bestEpoch: number;
  /** Epochs since the last improvement. */
  wait: number;
  /** Copies of the parameters at the best epoch (when restoreBestWeights). */
  bestWeights: Record<string, Float32Array> | null;
}

/**
 * Everything besides the model weights that training needs to continue exactly where it
 * stopped: `fit(model, data, { ...sameOptions, resumeFrom: state })` then finishes with the same
 * weights and history, bit for bit, as an uninterrupted run.
 */
export interface TrainerState {
  version: 1;
  seed: number;
  batchSize: number;
  datasetSize: number;
  /** Epoch in progress (0-based). */
  epoch: number;
  /** Batches of `epoch` already trained. */
  batch: number;
  /** Optimizer steps taken in the whole run. */
  globalStep: number;
  /** State of the dropout generator. */
  rng: RngState;
  optimizer: OptimizerState;
  history: TrainingHistory;
  /** Running sums of the epoch in progress. */
  epochTotals: { lossSum: number; correct: number; seen: number };
  earlyStopping: EarlyStoppingState | null;
}

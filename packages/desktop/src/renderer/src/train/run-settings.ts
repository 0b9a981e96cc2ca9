import { isLayerArchitecture, type TrainingHyperparameters } from '@scratchnet/core';
import type { TrainConfig } from '../training/worker-protocol.js';

/** What the desktop uses for a setting a preset or checkpoint leaves out (the CLI's defaults where it has one). */
const DEFAULTS = { optimizer: 'adam', lr: 0.001, batchSize: 64, epochs: 5, seed: 1 } as const;

/** Validation fraction when none is given: the desktop has always kept 10%. */
export const DEFAULT_VAL_SPLIT = 0.1;

/**
 * The form's configuration from shared settings (a preset's, or those a checkpoint recorded — the
 * CLI's included), so the same name or file means the same run in both front ends.
 */
export function configFromSettings(settings: TrainingHyperparameters): TrainConfig {
  const arch = settings.arch ?? '784-64-10';
  const config: TrainConfig = {
    architecture: arch,
    activations: isLayerArchitecture(arch) ? '' : (settings.activations ?? 'relu'),
    dropout: settings.dropout ?? 0,
    optimizer: settings.optimizer ?? DEFAULTS.optimizer,
    learningRate: settings.lr ?? DEFAULTS.lr,
    batchSize: settings.batchSize ?? DEFAULTS.batchSize,
    epochs: settings.epochs ?? DEFAULTS.epochs,
    seed: settings.seed ?? DEFAULTS.seed,
  };
  if (settings.loss !== undefined) config.loss = settings.loss;
  if (settings.schedule !== undefined) config.schedule = settings.schedule;
  if (settings.weightDecay !== undefined) config.weightDecay = settings.weightDecay;
  if (settings.momentum !== undefined) config.momentum = settings.momentum;
  if (settings.valSplit !== undefined) config.valSplit = settings.valSplit;
  if (settings.augment !== undefined) config.augment = settings.augment;
  if (settings.earlyStopping !== undefined) config.earlyStopping = settings.earlyStopping;
  if (settings.trainLimit !== undefined) config.trainLimit = settings.trainLimit;
  return config;
}

/**
 * The shared settings of a run configured here: what the checkpoint records, under the CLI's
 * names, so `scratchnet-cli train --resume` continues it. `dataset` is the data set's name as
 * `--dataset` takes it where there is one ('mnist', 'fashion-mnist'), otherwise the app's choice.
 */
export function settingsFromConfig(config: TrainConfig, dataset?: string): TrainingHyperparameters {
  const settings: TrainingHyperparameters = {
    ...(dataset === undefined ? {} : { dataset }),
    arch: config.architecture,
    activations: config.activations,
    dropout: config.dropout,
    optimizer: config.optimizer,
    loss: config.loss ?? 'ce',
    lr: config.learningRate,
    batchSize: config.batchSize,
    epochs: config.epochs,
    seed: config.seed,
    valSplit: config.valSplit ?? DEFAULT_VAL_SPLIT,
    schedule: config.schedule ?? 'constant',
  };
  if (config.weightDecay !== undefined) settings.weightDecay = config.weightDecay;
  if (config.momentum !== undefined) settings.momentum = config.momentum;
  if (config.augment !== undefined) settings.augment = config.augment;
  if (config.earlyStopping !== undefined) settings.earlyStopping = config.earlyStopping;
  if (config.trainLimit !== undefined) settings.trainLimit = config.trainLimit;
  return settings;
}

import type { EpochRecord, OptimizerType } from '@scratchnet/core';
import { type TrainingRecord, storedEpochRecord } from '@scratchnet/model-format';
import type { TrainingData } from '../lib/training-data.js';
import { type TrialConfig, architectureFor } from './search-space.js';
import type { TrialResult } from './trial-csv.js';

/**
 * The training record a trial's checkpoint carries: the data set, the trial's hyperparameters
 * under core's names (plus `tune`, its configuration key), its seed, history and metrics. Used
 * for the best model `tune` saves and for every trial checkpoint a queue worker stores.
 */
export function trialTrainingRecord(
  trial: { config: TrialConfig; result: TrialResult; history: readonly EpochRecord[] },
  data: Pick<TrainingData, 'record' | 'inputSize' | 'classNames'>,
  settings: { dataset: string; epochs: number; valSplit: number },
  test?: { accuracy: number; loss: number },
): TrainingRecord {
  const { config, result, history } = trial;
  return {
    dataset: data.record,
    hyperparameters: {
      dataset: settings.dataset,
      arch: architectureFor(config, data.inputSize, data.classNames.length),
      activations: result.activations,
      optimizer: result.optimizer as OptimizerType,
      lr: result.lr,
      batchSize: result.batchSize,
      epochs: settings.epochs,
      loss: 'ce',
      seed: result.seed,
      valSplit: settings.valSplit,
      tune: result.config,
    },
    seed: result.seed,
    epochs: result.epochs,
    finalMetrics: {
      val_accuracy: result.valAccuracy,
      val_loss: result.valLoss,
      ...(test ? { test_accuracy: test.accuracy, test_loss: test.loss } : {}),
    },
    history: history.map((row) => storedEpochRecord(row)),
  };
}

import { type Dataset, type EpochRecord, buildModel, fit } from '@scratchnet/core';
import { type TrialConfig, configKey, trialSpec } from './search-space.js';
import type { TrialResult } from './trial-csv.js';

/** One trial to run: a configuration, a seed, and the bar below which it counts as hopeless. */
export interface TrialJob {
  config: TrialConfig;
  seed: number;
  epochs: number;
  /** Best validation accuracy seen after each epoch (index = epoch − 1) among finished trials. */
  bar: number[];
}

/** How far below the best finished trial at the same epoch a trial may fall before it is stopped. */
export const HOPELESS_MARGIN = 0.15;

/**
 * Trains one configuration with one seed and reports its validation result. Hopeless trials end
 * early: a non-finite loss ('diverged'), or — before the last epoch — validation accuracy barely
 * above chance or more than HOPELESS_MARGIN below the best finished trial at that epoch ('stopped').
 */
export async function runTrial(
  job: TrialJob,
  train: Dataset,
  validation: Dataset,
  /** Called after each epoch (the queue worker reports it as the job's progress). */
  onEpoch?: (epoch: { epoch: number; epochs: number; loss: number; valAccuracy: number }) => void,
): Promise<{ result: TrialResult; curve: number[]; history: EpochRecord[]; weights: Map<string, { shape: readonly number[]; data: Float32Array }> }> {
  const { config, seed, epochs } = job;
  const spec = trialSpec(config, train.inputSize, train.classCount);
  const model = buildModel(spec, { seed });
  const controller = new AbortController();
  let status: TrialResult['status'] = 'done';
  let ran = 0;
  let valLoss = Number.NaN;
  let valAccuracy = 0;
  const curve: number[] = [];
  /** core's record of each epoch run: the saved model's training history. */
  const history: EpochRecord[] = [];
  const started = Date.now();
  try {
    await fit(model, train, {
      epochs,
      batchSize: config.batchSize,
      optimizer: { type: config.optimizer as never, lr: config.lr },
      seed,
      validation,
      signal: controller.signal,
      yieldEveryMs: 1000,
      callbacks: {
        onEpochEnd: (info) => {
          ran = info.epoch + 1;
          valLoss = info.valLoss ?? Number.NaN;
          valAccuracy = info.valAccuracy ?? 0;
          curve.push(valAccuracy);
          const { epoch, loss, accuracy, valLoss: vl, valAccuracy: va, learningRate } = info;
          history.push({ epoch, loss, accuracy, learningRate, ...(vl === undefined ? {} : { valLoss: vl }), ...(va === undefined ? {} : { valAccuracy: va }) });
          onEpoch?.({ epoch: ran, epochs, loss, valAccuracy });
          if (ran >= epochs) return;
          const chance = 1 / train.classCount;
          const bar = job.bar[info.epoch];
          if (!Number.isFinite(info.loss) || !Number.isFinite(valLoss)) status = 'diverged';
          else if (valAccuracy < 1.5 * chance || (bar !== undefined && valAccuracy < bar - HOPELESS_MARGIN)) status = 'stopped';
          if (status !== 'done') controller.abort();
        },
      },
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'NON_FINITE_LOSS') status = 'diverged';
    else if (code !== 'ABORTED') throw error;
  }
  return {
    result: {
      ...config,
      config: configKey(config),
      seed,
      status,
      epochs: ran,
      valLoss,
      valAccuracy: status === 'diverged' ? 0 : valAccuracy,
      seconds: (Date.now() - started) / 1000,
    },
    curve,
    history,
    weights: model.stateDict(),
  };
}

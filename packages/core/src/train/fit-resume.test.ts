import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors.js';
import { buildModel } from '../model/build-model.js';
import { parseArchitecture } from '../model/parse-architecture.js';
import type { Sequential } from '../model/sequential.js';
import { twoSpirals } from '../../test/helpers/spirals.js';
import { fit } from './fit.js';
import { TrainingAbortedError } from './training-aborted-error.js';
import type { FitOptions, TrainerState, TrainingHistory } from './types.js';

const data = twoSpirals(60);
const validation = twoSpirals(60, { shuffledLabels: true });

/** Dropout, Adam with weight decay and clipping, a per-step warm-up then cosine, validation and early stopping: every piece of state. */
const options = (): FitOptions => ({
  epochs: 5,
  batchSize: 16,
  seed: 11,
  optimizer: { type: 'adamw', lr: 0.02, weightDecay: 0.01, clipNorm: 5 },
  // biome-ignore lint/suspicious/noThenProperty: `then` is the schedule contract's field, not a thenable
  schedule: { type: 'warmup', warmupEpochs: 1, then: { type: 'cosine', minLr: 0.001 } },
  validation,
  earlyStopping: { patience: 50, monitor: 'val_accuracy' },
});
const newModel = (seed: number) => buildModel(parseArchitecture('2-24-24-2', { activations: 'selu,relu', dropout: 0.25 }), { seed });
const weightsOf = (model: Sequential) => model.parameters().map((p) => Array.from(p.value.data));

async function uninterrupted(): Promise<{ weights: number[][]; history: TrainingHistory }> {
  const model = newModel(1);
  const history = await fit(model, data, options());
  return { weights: weightsOf(model), history };
}

/** Resumes in a fresh model (different initial weights) loaded with the weights saved at the stop. */
async function resume(state: TrainerState, weights: ReturnType<Sequential['stateDict']>) {
  const model = newModel(99);
  model.loadStateDict(weights);
  // A structured clone proves the state carries no references into the stopped run.
  const history = await fit(model, data, { ...options(), resumeFrom: structuredClone(state) });
  return { weights: weightsOf(model), history };
}

describe('fit: exact resume', () => {
  it('a run aborted mid-epoch and resumed ends bit-identical (weights and history) to an uninterrupted run', async () => {
    const reference = await uninterrupted();
    const controller = new AbortController();
    const model = newModel(1);
    let caught: unknown;
    try {
      await fit(model, data, {
        ...options(),
        signal: controller.signal,
        callbacks: { onBatchEnd: (info) => void (info.epoch === 2 && info.batch === 3 && controller.abort('user')) },
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TrainingAbortedError);
    const aborted = caught as TrainingAbortedError;
    expect(aborted.code).toBe(ErrorCode.ABORTED);
    expect([aborted.state.epoch, aborted.state.batch, aborted.state.history.epochs.length]).toEqual([2, 4, 2]);

    const resumed = await resume(aborted.state, model.stateDict());
    expect(resumed.history).toEqual(reference.history);
    expect(resumed.weights).toEqual(reference.weights);
  });

  it('a snapshot taken from onBatchEnd (training went on) resumes bit-identically too, also at an epoch boundary', async () => {
    const reference = await uninterrupted();
    const snapshots: Array<{ state: TrainerState; weights: ReturnType<Sequential['stateDict']> }> = [];
    const model = newModel(1);
    await fit(model, data, {
      ...options(),
      callbacks: {
        onBatchEnd: (info) => {
          // mid-epoch, and the last batch of an epoch (before validation and the epoch record)
          if ((info.epoch === 1 && info.batch === 1) || (info.epoch === 3 && info.batch === info.batchesPerEpoch - 1)) {
            snapshots.push({ state: info.trainerState(), weights: model.stateDict() });
          }
        },
        onEpochEnd: (info) => {
          if (info.epoch === 0) snapshots.push({ state: info.trainerState(), weights: model.stateDict() });
        },
      },
    });
    expect(weightsOf(model)).toEqual(reference.weights);
    expect(snapshots).toHaveLength(3);
    for (const snapshot of snapshots) {
      const resumed = await resume(snapshot.state, snapshot.weights);
      expect(resumed.history).toEqual(reference.history);
      expect(resumed.weights).toEqual(reference.weights);
    }
  });

  it('refuses a state from a run with other settings', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = (await fit(newModel(1), data, { ...options(), signal: controller.signal }).catch((e) => e)) as TrainingAbortedError;
    expect(error.state).toMatchObject({ epoch: 0, batch: 0, globalStep: 0 });
    await expect(fit(newModel(1), data, { ...options(), batchSize: 8, resumeFrom: error.state })).rejects.toThrow(
      /saved with batchSize 16 but this run has 8/,
    );
  });

  it('yields to the event loop, so a timer can abort a running fit', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 0);
    const result = fit(newModel(1), data, { ...options(), epochs: 10_000, signal: controller.signal, yieldEveryMs: 0 });
    await expect(result).rejects.toThrow(TrainingAbortedError);
  });
});

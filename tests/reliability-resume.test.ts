import { join } from 'node:path';
import { type Backend, type FitOptions, type TrainingHistory, TrainingAbortedError, fit } from '@scratchnet/core';
import { loadModelFile, saveCheckpoint } from '@scratchnet/model-format/node';
import { describe, expect, it } from 'vitest';
import { TASKS, buildTaskModel, classNamesOf, syntheticDataset } from './reliability/children/training-setup.mjs';
import { availableBackends } from './reliability/helpers/backends.js';
import { tempDir } from './reliability/helpers/paths.js';
import { scaled } from './reliability/helpers/scale.js';
import { differingTensors } from './reliability/helpers/weights.js';

/**
 * Exact resume through the library and a checkpoint file: train N epochs straight; separately
 * train, abort (AbortSignal → TrainingAbortedError with its TrainerState), save a checkpoint with
 * that state, load it from disk into a fresh model and resume to N epochs. The final weights must
 * be bit-identical and the metrics history identical, on each backend, for stops at N/2 exactly,
 * mid-epoch and after the very first step. The task has dropout, Adam, a cosine schedule and
 * validation, so a missing piece of state (RNG, optimizer slots, step count, running totals)
 * would show.
 */
const EPOCHS = scaled('RELIABILITY_RESUME_EPOCHS', 6, 40);
const task = TASKS.resume;
const train = syntheticDataset(task.data);
const validation = syntheticDataset(task.validation!);
const stepsPerEpoch = Math.ceil(task.data.count / task.fit.batchSize);

const options = (): FitOptions => ({ ...task.fit, epochs: EPOCHS, validation, yieldEveryMs: 1_000_000 });

const backends = await availableBackends();

describe.each(backends)('exact resume on the $name backend', ({ backend }) => {
  let straight: { weights: Map<string, { data: Float32Array }>; history: TrainingHistory };

  it(`trains ${EPOCHS} epochs straight, twice, to the same bits (the reference)`, async () => {
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const model = buildTaskModel(task, backend);
      const history = await fit(model, train, options());
      runs.push({ weights: model.stateDict(), history });
    }
    expect(differingTensors(runs[0].weights, runs[1].weights)).toEqual([]);
    straight = runs[0];
    expect(straight.history.epochs).toHaveLength(EPOCHS);
    // The task really learns, so the weights move on every step.
    expect(straight.history.epochs.at(-1)!.loss).toBeLessThan(straight.history.epochs[0].loss);
  });

  const stops = [
    { label: `at N/2 = ${EPOCHS / 2} epochs exactly`, step: (EPOCHS / 2) * stepsPerEpoch },
    { label: 'mid-epoch', step: Math.floor((EPOCHS / 2) * stepsPerEpoch + stepsPerEpoch / 3) },
    { label: 'after the first step', step: 1 },
  ];
  it.each(stops)('stopped $label, saved, loaded and resumed: identical weights and history', async ({ step }) => {
    const resumed = await stopSaveResume(backend, step);
    expect(differingTensors(resumed.weights, straight.weights)).toEqual([]);
    expect(resumed.history).toEqual(straight.history);
  });
});

/** Aborts after `stopStep` optimizer steps, round-trips through a checkpoint file, resumes. */
async function stopSaveResume(backend: Backend, stopStep: number) {
  const dir = await tempDir('resume');
  const path = join(dir, 'interrupted.safetensors');
  const model = buildTaskModel(task, backend);
  const controller = new AbortController();
  const error = await fit(model, train, {
    ...options(),
    signal: controller.signal,
    callbacks: {
      onBatchEnd(info) {
        if (info.globalStep === stopStep) controller.abort();
      },
    },
  }).catch((e) => e);
  expect(error).toBeInstanceOf(TrainingAbortedError);
  const state = (error as TrainingAbortedError).state;
  expect(state.globalStep).toBe(stopStep);
  await saveCheckpoint(path, { model, classNames: classNamesOf(task), optimizer: state.optimizer, trainer: state });

  const loaded = await loadModelFile(path, { backend });
  const history = await fit(loaded.model.train(), train, { ...options(), resumeFrom: loaded.trainer });
  return { weights: loaded.model.stateDict(), history };
}

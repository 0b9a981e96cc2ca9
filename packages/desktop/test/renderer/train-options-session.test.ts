import { trainLimitIndices } from '@scratchnet/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitValidation } from '../../src/renderer/src/data/dataset-catalog.js';
import { decodeSnapshot, encodeSnapshot } from '../../src/renderer/src/model/checkpoint-codec.js';
import { PRESETS } from '../../src/renderer/src/train/presets.js';
import { type SessionInit, TrainingSession } from '../../src/renderer/src/training/training-session.js';
import type { TrainConfig, WorkerEvent } from '../../src/renderer/src/training/worker-protocol.js';
import type { DatasetBytes } from '../../src/shared/bridge-api.js';
import { offlineDigits } from '../helpers/offline-digits.js';

/** The options the form added (early stopping, training images) run in the session as the CLI runs them. */
let train: DatasetBytes;
let validation: DatasetBytes;

beforeAll(() => {
  ({ train, validation } = splitValidation(offlineDigits().train, 0.1));
});

async function run(config: Partial<TrainConfig>, held: DatasetBytes = validation) {
  const init: SessionInit = {
    runId: 1,
    config: { ...PRESETS.find((p) => p.id === 'quick')!.config, epochs: 1, ...config },
    datasetLabel: 'offline digits',
    classNames: [...'0123456789'],
    train,
    validation: held,
  };
  const events: WorkerEvent[] = [];
  await new TrainingSession(init, (e) => events.push(e)).run();
  const finished = events.at(-1) as Extract<WorkerEvent, { type: 'finished' }>;
  expect(finished.type, JSON.stringify(events.at(-1))).toBe('finished');
  return { events, finished };
}

describe('the Train form’s options in the training session', () => {
  it('--train-limit: trains on core’s seeded subset and counts only those images', async () => {
    const { events, finished } = await run({ trainLimit: 500, batchSize: 50 });
    const started = events[0] as Extract<WorkerEvent, { type: 'started' }>;
    expect(started.stepsPerEpoch).toBe(10);
    expect(finished.snapshot.trainer?.datasetSize).toBe(500);
    expect(trainLimitIndices(train.count, 500, 1)).toHaveLength(500);
    expect(finished.meanSamplesPerSecond).toBeGreaterThan(0);
    expect(started.threads).toBe(1);
    expect(finished.snapshot.training?.hyperparameters).toMatchObject({ trainLimit: 500 });
  });

  it('--early-stopping: stops once validation loss has not improved for that many epochs', async () => {
    // A learning rate this large diverges at once, so validation loss never improves on epoch 1.
    const { finished } = await run({ epochs: 10, earlyStopping: 1, learningRate: 5, optimizer: 'sgd', trainLimit: 300 });
    const epochs = finished.snapshot.training?.epochs ?? 0;
    expect(epochs).toBeGreaterThanOrEqual(2);
    expect(epochs).toBeLessThan(10);
    expect(finished.snapshot.training?.hyperparameters).toMatchObject({ earlyStopping: 1 });
  });

  it('--val-split 0: nothing held out, no validation metrics, the run still trains', async () => {
    const none: DatasetBytes = { ...validation, count: 0, images: validation.images.subarray(0, 0), labels: validation.labels.subarray(0, 0) };
    const { events, finished } = await run({ valSplit: 0, epochs: 2, earlyStopping: 1, trainLimit: 500 }, none);
    const started = events[0] as Extract<WorkerEvent, { type: 'started' }>;
    expect(started.baselineValidationAccuracy).toBeNaN();
    const epochs = events.filter((e) => e.type === 'epoch') as Array<Extract<WorkerEvent, { type: 'epoch' }>>;
    expect(epochs.length).toBeGreaterThanOrEqual(1);
    for (const e of epochs) {
      expect(e.validationLoss).toBeNaN();
      expect(e.trainAccuracy).toBeGreaterThan(0.3);
    }
    expect(finished.snapshot.training?.hyperparameters).toMatchObject({ valSplit: 0 });
    expect(finished.snapshot.training?.dataset.validation).toBe(0);
    // The checkpoint of such a run is valid (the CLI writes the same for --val-split 0).
    expect(decodeSnapshot(encodeSnapshot(finished.snapshot)).training?.hyperparameters.valSplit).toBe(0);
  });
});

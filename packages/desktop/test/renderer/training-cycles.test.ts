import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createJsBackend, createWasmBackend, setBackend } from '@scratchnet/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Predictor } from '../../src/renderer/src/model/predictor.js';
import { evaluateDataset } from '../../src/renderer/src/training/evaluate-dataset.js';
import { modelFromSnapshot, toDataset } from '../../src/renderer/src/training/training-session.js';
import { splitValidation } from '../../src/renderer/src/data/dataset-catalog.js';
import { TrainingSession } from '../../src/renderer/src/training/training-session.js';
import type { WorkerEvent } from '../../src/renderer/src/training/worker-protocol.js';
import type { DatasetBytes } from '../../src/shared/bridge-api.js';
import { offlineDigits } from '../helpers/offline-digits.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let train: DatasetBytes;
let validation: DatasetBytes;
beforeAll(() => {
  ({ train, validation } = splitValidation(offlineDigits().train, 0.1));
});

/** One user "start, watch a few updates, stop" cycle, as the worker runs it; returns the final snapshot. */
async function cycle(): Promise<Extract<WorkerEvent, { type: 'finished' }>['snapshot']> {
  let clock = 0;
  let progress = 0;
  const events: WorkerEvent[] = [];
  const session = new TrainingSession(
    {
      runId: 1,
      config: { architecture: '784-64-10', activations: 'relu', dropout: 0.1, optimizer: 'adam', learningRate: 0.003, batchSize: 32, epochs: 3, seed: 2 },
      datasetLabel: 'offline digits',
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      train,
      validation,
    },
    (event) => {
      events.push(event);
      if (event.type === 'progress' && ++progress === 3) session.stop();
    },
    () => (clock += 40),
  );
  await session.run();
  const last = events.at(-1)!;
  if (last.type !== 'finished') throw new Error(`run ended with ${last.type}`);
  return last.snapshot;
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('repeated train/stop cycles in the worker', () => {
  it('do not grow the heap (each run is released when it ends)', async () => {
    for (let i = 0; i < 3; i++) await cycle(); // warm-up: JIT, backend buffers, module state
    const start = heapAfterGc();
    const samples: number[] = [];
    for (let i = 0; i < 20; i++) {
      await cycle();
      if (i % 5 === 4) samples.push(heapAfterGc() - start);
    }
    console.log(`heap change after 5/10/15/20 more cycles: ${samples.map((b) => `${(b / 1e6).toFixed(2)} MB`).join(', ')}`);
    // One 784-64-10 run holds ~0.8 MB of weights, gradients, Adam state and buffers: 20 leaked runs would add ~16 MB.
    expect(Math.max(...samples)).toBeLessThan(4e6);
  });
});

describe('on the WebAssembly backend (memory that is not garbage-collected)', () => {
  afterAll(() => setBackend(createJsBackend()));

  it('hands every buffer back: evaluations and replaced predictors leave no live bytes', async () => {
    const snapshot = await cycle(); // on the JS backend: just to get trained weights
    const backend = await createWasmBackend({ threads: 1 });
    setBackend(backend);
    const pixels = Float32Array.from(validation.images.subarray(0, 784), (b) => b / 255);
    const round = () => {
      const model = modelFromSnapshot(snapshot);
      evaluateDataset(model, toDataset(validation, snapshot.classNames));
      model.dispose();
      const predictor = new Predictor(snapshot);
      predictor.predict(pixels);
      predictor.dispose();
    };
    round(); // the backend keeps a staging area for arrays outside its memory after first use
    const baseline = backend.liveBytes();
    for (let i = 0; i < 5; i++) {
      round();
      expect(backend.liveBytes()).toBe(baseline);
    }

    // Whole training runs: the session disposes its model, but core's `fit` itself currently keeps
    // ~2× the parameter bytes per call on this backend (reported to core); measured, not asserted.
    const before = backend.liveBytes();
    for (let i = 0; i < 3; i++) await cycle();
    console.log(`WebAssembly live bytes: ${baseline} steady for evaluate/predict; +${(backend.liveBytes() - before) / 3} bytes per 784-64-10 training run (fit)`);
    backend.dispose();
  });
});

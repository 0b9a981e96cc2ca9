import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
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

/** One user "start, watch a few updates, stop" cycle, as the worker runs it. */
async function cycle(): Promise<void> {
  let clock = 0;
  let progress = 0;
  const events: WorkerEvent['type'][] = [];
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
      events.push(event.type);
      if (event.type === 'progress' && ++progress === 3) session.stop();
    },
    () => (clock += 40),
  );
  await session.run();
  expect(events.at(-1)).toBe('finished');
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

/**
 * Resume across the two front ends, both ways, with each app's real code:
 * - the CLI continues a run the desktop started: the renderer's own training session (the code
 *   its worker runs, here under Node) trains on the tiny data set and is stopped in its second
 *   epoch; the desktop's codec writes the checkpoint; `scratchnet-cli train --resume` finishes it
 *   from the settings the desktop recorded;
 * - the desktop continues a run the CLI started: the built CLI is interrupted (SIGINT) after its
 *   first epoch; the desktop's Train controller loads the file, takes the run's recorded settings,
 *   and continues its trainer state (same seed, batch size and training-set size), its charts
 *   starting at epoch 1 with accuracy.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseIdx } from '@scratchnet/datasets';
import { decodeCheckpoint } from '@scratchnet/model-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitValidation } from '../packages/desktop/src/renderer/src/data/dataset-catalog.js';
import { encodeSnapshot } from '../packages/desktop/src/renderer/src/model/checkpoint-codec.js';
import { AppState } from '../packages/desktop/src/renderer/src/app-state.js';
import { decodeSnapshot } from '../packages/desktop/src/renderer/src/model/checkpoint-codec.js';
import type { ModelSnapshot } from '../packages/desktop/src/renderer/src/model/model-snapshot.js';
import { TrainController } from '../packages/desktop/src/renderer/src/train/train-controller.js';
import type { TrainingClient } from '../packages/desktop/src/renderer/src/training/training-client.js';
import { configFromSettings } from '../packages/desktop/src/renderer/src/train/run-settings.js';
import { TrainingSession } from '../packages/desktop/src/renderer/src/training/training-session.js';
import type { WorkerEvent } from '../packages/desktop/src/renderer/src/training/worker-protocol.js';
import type { DatasetBytes, ScratchnetBridge } from '../packages/desktop/src/shared/bridge-api.js';
import { type Harness, TINY_CLASSES, jsonLines, runCli, startHarness } from './cli-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

/** The tiny training set (and `extra` test images after it) as the desktop's bridge hands data to the renderer. */
function tinyTrainBytes(extra = 0): DatasetBytes {
  const read = (name: string) => parseIdx(gunzipSync(readFileSync(join(h.mirrorDir, name)))).data as Uint8Array;
  const images = Buffer.concat([read('train-images-idx3-ubyte.gz'), read('t10k-images-idx3-ubyte.gz').subarray(0, extra * 784)]);
  const labels = Buffer.concat([read('train-labels-idx1-ubyte.gz'), read('t10k-labels-idx1-ubyte.gz').subarray(0, extra)]);
  return { source: 'tiny', count: labels.length, rows: 28, cols: 28, images: new Uint8Array(images), labels: new Uint8Array(labels) };
}

/** A clock that moves 40 ms per reading, so progress reports come every few batches on any machine. */
function fakeClock() {
  let t = 0;
  return () => (t += 40);
}

describe('a desktop checkpoint resumes in the CLI', () => {
  it('the desktop stops mid-epoch 2 of 3; `train --resume` finishes it with the recorded settings', async () => {
    const config = configFromSettings({ arch: '784-16-5', activations: 'relu', optimizer: 'adam', lr: 0.01, batchSize: 20, epochs: 3, seed: 7, schedule: 'cosine' });
    const { train, validation } = splitValidation(tinyTrainBytes(), config.valSplit ?? 0.1);
    const events: WorkerEvent[] = [];
    const session = new TrainingSession(
      { runId: 1, config, datasetLabel: 'tiny test bars', datasetName: 'tiny', classNames: TINY_CLASSES, train, validation },
      (event) => {
        events.push(event);
        if (event.type === 'progress' && event.epoch > 1.4) session.stop();
      },
      fakeClock(),
    );
    await session.run();
    const finished = events.at(-1) as Extract<WorkerEvent, { type: 'finished' }>;
    expect(finished.reason).toBe('stopped');
    const snapshot: ModelSnapshot = finished.snapshot;
    expect(snapshot.trainer?.epoch).toBe(1);
    expect(snapshot.training?.hyperparameters).toMatchObject({ dataset: 'tiny', arch: '784-16-5', lr: 0.01, loss: 'ce', schedule: 'cosine', valSplit: 0.1, epochs: 3 });
    const file = join(h.root, 'desktop.safetensors');
    writeFileSync(file, encodeSnapshot(snapshot));

    const resumed = await runCli(h, ['train', '--resume', 'desktop.safetensors', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(jsonLines(resumed.stdout).find((e) => e.event === 'start')?.resumed).toBe(true);
    const done = decodeCheckpoint(new Uint8Array(readFileSync(file)));
    expect(done.trainer).toBeUndefined(); // finished
    const history = done.training!.history;
    // The desktop's epoch 0 as it recorded it, then the CLI's epochs 1 and 2: one record, 0-based, accuracy throughout.
    expect(history.map((row) => row.epoch)).toEqual([0, 1, 2]);
    expect(history[0]).toEqual(snapshot.training!.history[0]);
    for (const row of history) expect(row.accuracy).toBeGreaterThan(0);
    expect(history[2].accuracy).toBeGreaterThan(0.8);
    expect(done.training!.hyperparameters).toMatchObject({ arch: '784-16-5', optimizer: 'adam', seed: 7, epochs: 3 });
  });
});

/** The desktop's worker, in process: each run is a real TrainingSession whose events go straight to the page side. */
class InProcessTrainingClient {
  private listener: ((event: WorkerEvent) => void) | null = null;
  done: Promise<void> = Promise.resolve();
  onRunEvent(listener: (event: WorkerEvent) => void) {
    this.listener = listener;
    return () => {};
  }
  train(init: Omit<ConstructorParameters<typeof TrainingSession>[0], 'runId' | 'classNames'> & { classNames: readonly string[] }): number {
    const session = new TrainingSession({ ...init, runId: 1, classNames: [...init.classNames] }, (event) => this.listener?.(event), fakeClock());
    this.done = session.run();
    return 1;
  }
  pause() {}
  resume() {}
  stop() {}
}

/**
 * A bridge whose "pick IDX files" hands over tiny images (the desktop's way to train on other
 * data). The desktop keeps 10% of picked files as its test split and 10% of the rest for
 * validation: 444 images leave 360 to train on, the CLI's training-set size for this run.
 */
function tinyBridge(): ScratchnetBridge {
  return {
    loadDataset: async () => {
      throw new Error('unused');
    },
    pickDatasetFiles: async () => tinyTrainBytes(44),
    pickDatasetFolder: async () => null,
    loadHandwriting: async () => {
      throw new Error('unused');
    },
    saveHandwriting: async () => {
      throw new Error('unused');
    },
    openCheckpoint: async () => null,
    saveCheckpoint: async () => null,
    onDatasetProgress: () => () => {},
  } as ScratchnetBridge;
}

describe('a CLI checkpoint continues in the desktop', () => {
  it('interrupted after its first epoch, it resumes: charts start at epoch 1 with accuracy, the record goes on from there', async () => {
    const args = ['train', '--dataset', 'tiny', '--arch', '784-16-5', '--optimizer', 'adam', '--lr', '0.01', '--batch-size', '4', '--epochs', '8', '--seed', '7', '--schedule', 'cosine', '--json'];
    let sent = false;
    const cut = await runCli(h, [...args, '--out', 'cli.safetensors'], {
      onStdout: (chunk, child) => {
        if (!sent && chunk.includes('"event":"epoch"')) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(cut.code, cut.stderr).toBe(130);

    const loaded = decodeSnapshot(new Uint8Array(readFileSync(join(h.root, 'cli.safetensors'))));
    const done = loaded.training!.history.length;
    expect(done).toBeGreaterThanOrEqual(1);
    expect(loaded.training!.history[0]).toMatchObject({ epoch: 0, accuracy: expect.any(Number) });
    // The form takes the run's own settings, as the Train screen does when a checkpoint is opened.
    const config = configFromSettings(loaded.training!.hyperparameters);
    expect(config).toMatchObject({ architecture: '784-16-5', optimizer: 'adam', learningRate: 0.01, batchSize: 4, epochs: 8, seed: 7, schedule: 'cosine' });

    const client = new InProcessTrainingClient();
    const app = new AppState('web', tinyBridge(), client as unknown as TrainingClient);
    app.setModel(loaded, 'cli.safetensors');
    const controller = new TrainController(app);
    await controller.start(config, 'files', true);
    expect(controller.message).toMatch(new RegExp(`from epoch ${loaded.trainer!.epoch + 1}`));
    // Before the first new point: the CLI's epochs, at x = 1, 2, … with their accuracy.
    expect(controller.history.x.slice(0, done)).toEqual(Array.from({ length: done }, (_, i) => i + 1));
    expect(controller.history.trainAccuracy[0]).toBe(loaded.training!.history[0].accuracy);
    expect(controller.history.validationAccuracy[0]).toBe(loaded.training!.history[0].valAccuracy);
    await client.done;
    expect(controller.status).toBe('finished');
    expect(controller.history.x.at(-1)).toBe(8);

    // One record: the CLI's epochs as it wrote them, then the desktop's, 0-based, accuracy throughout.
    const continued = app.model!;
    expect(continued.classNames).toEqual(TINY_CLASSES);
    expect(continued.training!.history.map((r) => r.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(continued.training!.history.slice(0, done)).toEqual(loaded.training!.history);
    for (const row of continued.training!.history) expect(row.accuracy).toBeGreaterThan(0);
    expect(continued.trainer?.epoch).toBe(8);
    expect(continued.training!.hyperparameters).toMatchObject({ arch: '784-16-5', batchSize: 4, seed: 7, schedule: 'cosine' });
  });
});

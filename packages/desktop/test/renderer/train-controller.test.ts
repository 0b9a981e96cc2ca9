import { buildModel, parseArchitecture } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { AppState } from '../../src/renderer/src/app-state.js';
import type { ModelSnapshot } from '../../src/renderer/src/model/model-snapshot.js';
import { PRESETS } from '../../src/renderer/src/train/presets.js';
import { TrainController } from '../../src/renderer/src/train/train-controller.js';
import type { TrainingClient } from '../../src/renderer/src/training/training-client.js';
import type { WorkerEvent } from '../../src/renderer/src/training/worker-protocol.js';
import type { DatasetBytes, DatasetProgress, ScratchnetBridge } from '../../src/shared/bridge-api.js';

/** The worker side replaced by a recorder: the test plays the worker's events. */
class FakeTrainingClient {
  listener: ((event: any) => void) | null = null;
  sent: unknown[] = [];
  onRunEvent(listener: (event: any) => void) {
    this.listener = listener;
    return () => {};
  }
  train(init: unknown) {
    this.sent.push(['train', init]);
    return 1;
  }
  pause(runId: number) {
    this.sent.push(['pause', runId]);
  }
  resume(runId: number) {
    this.sent.push(['resume', runId]);
  }
  stop(runId: number) {
    this.sent.push(['stop', runId]);
  }
  emit(event: WorkerEvent) {
    this.listener?.(event);
  }
}

function pickedFiles(n: number): DatasetBytes {
  return {
    source: 'my-images-idx3-ubyte',
    count: n,
    rows: 28,
    cols: 28,
    images: new Uint8Array(n * 784),
    labels: Uint8Array.from({ length: n }, (_, i) => i % 10),
  };
}

function fakeBridge(progress: DatasetProgress[]): ScratchnetBridge & { listeners: number } {
  const listeners = new Set<(p: DatasetProgress) => void>();
  return {
    get listeners() {
      return listeners.size;
    },
    loadDataset: async () => {
      throw new Error('unused');
    },
    pickDatasetFiles: async () => {
      for (const p of progress) for (const l of listeners) l(p);
      return pickedFiles(200);
    },
    pickDatasetFolder: async () => null,
    openCheckpoint: async () => null,
    saveCheckpoint: async () => null,
    loadHandwriting: async () => {
      throw new Error('unused');
    },
    saveHandwriting: async () => {
      throw new Error('unused');
    },
    onDatasetProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function snapshot(): ModelSnapshot {
  const model = buildModel(parseArchitecture('784-4-10'), { seed: 1 });
  return {
    spec: model.spec,
    tensors: model.namedParameters().map(([name, p]) => ({ name, shape: [...p.value.shape], data: p.value.data })),
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  };
}

describe('the Train screen’s run controller', () => {
  it('loads picked files, holds 10% back for validation, and turns worker events into chart series and a model', async () => {
    const worker = new FakeTrainingClient();
    const statuses: string[] = [];
    const bridge = fakeBridge([{ source: 'train-images-idx3-ubyte.gz', receivedBytes: 5, totalBytes: 20 }]);
    const app = new AppState('web', bridge, worker as unknown as TrainingClient);
    const controller = new TrainController(app);
    controller.onChange(() => statuses.push(`${controller.status}: ${controller.message}`));
    const config = { ...PRESETS[1].config, epochs: 2 };
    await controller.start(config, 'files', false, 2);

    expect(statuses).toContain('loading: Downloading train-images-idx3-ubyte.gz… 25%');
    expect(bridge.listeners).toBe(0); // unsubscribed once loaded
    const [[kind, init]] = worker.sent as [[string, any]];
    expect(kind).toBe('train');
    expect(init.threads).toBe(2); // the form's threads reach the worker
    expect(init.train.count + init.validation.count).toBe(200 - 20); // 10% of the picked files is the test split
    expect(init.validation.count).toBe(18);
    expect(app.dataset?.test.count).toBe(20);
    expect(controller.status).toBe('running');

    worker.emit({ type: 'started', runId: 1, parameterCount: 13_002, backend: 'js', threads: 1, stepsPerEpoch: 6, totalSteps: 12, baselineValidationLoss: 2.3, baselineValidationAccuracy: 0.1 });
    worker.emit({ type: 'progress', runId: 1, step: 3, totalSteps: 12, epoch: 0.5, trainLoss: 1.5, trainAccuracy: Number.NaN, samplesPerSecond: 1000, etaSeconds: 0.3 });
    worker.emit({ type: 'progress', runId: 2, step: 4, totalSteps: 12, epoch: 0.6, trainLoss: 9, trainAccuracy: 0, samplesPerSecond: 1, etaSeconds: 1 }); // another run: ignored
    const epochSnapshot = snapshot();
    worker.emit({ type: 'epoch', runId: 1, epoch: 1, trainLoss: 1.2, trainAccuracy: 0.6, validationLoss: 1.0, validationAccuracy: 0.7, snapshot: epochSnapshot });

    expect(controller.history).toEqual({
      x: [0, 0.5, 1],
      trainLoss: [null, 1.5, null],
      trainAccuracy: [null, null, 0.6],
      validationLoss: [2.3, null, 1.0],
      validationAccuracy: [0.1, null, 0.7],
    });
    expect(app.model).toBe(epochSnapshot);
    expect(app.predictor).not.toBeNull();
    expect(controller.progress).toMatchObject({ epoch: 1, step: 3, samplesPerSecond: 1000, lastValidationAccuracy: 0.7, baselineValidationAccuracy: 0.1, backend: 'js', threads: 1, requestedThreads: 2 });

    controller.pause();
    expect(worker.sent.at(-1)).toEqual(['pause', 1]);
    worker.emit({ type: 'paused', runId: 1 });
    expect(controller.status).toBe('paused');
    controller.resume();
    worker.emit({ type: 'resumed', runId: 1 });
    controller.stop();
    expect(worker.sent.slice(-2)).toEqual([['resume', 1], ['stop', 1]]);
    worker.emit({ type: 'finished', runId: 1, reason: 'stopped', snapshot: epochSnapshot, meanSamplesPerSecond: 900 });
    expect(controller.status).toBe('stopped');
    expect(controller.progress?.meanSamplesPerSecond).toBe(900);
    expect(controller.busy).toBe(false);
  });

  it('shows a failure with its code and stays usable', async () => {
    const worker = new FakeTrainingClient();
    const app = new AppState('web', fakeBridge([]), worker as unknown as TrainingClient);
    const controller = new TrainController(app);
    await controller.start(PRESETS[0].config, 'files');
    worker.emit({ type: 'failed', runId: 1, code: 'NON_FINITE_LOSS', message: 'The loss became NaN' });
    expect(controller.status).toBe('failed');
    expect(controller.message).toBe('The loss became NaN (NON_FINITE_LOSS)');
    expect(controller.busy).toBe(false);
    expect(app.model).toBeNull();
  });
});

import { CNN_ARCHITECTURES, createJsBackend, createWasmBackend, parseArchitecture, setBackend, summarizeModel } from '@scratchnet/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_SHAPE, splitValidation } from '../../src/renderer/src/data/dataset-catalog.js';
import { decodeSnapshot, encodeSnapshot, suggestCheckpointName } from '../../src/renderer/src/model/checkpoint-codec.js';
import { acceptsImages, describeArchitecture, type ModelSnapshot, parameterCount } from '../../src/renderer/src/model/model-snapshot.js';
import { Predictor } from '../../src/renderer/src/model/predictor.js';
import { checkModelFits, checkTrainConfig } from '../../src/renderer/src/train/config-check.js';
import { PRESETS } from '../../src/renderer/src/train/presets.js';
import { evaluateDataset } from '../../src/renderer/src/training/evaluate-dataset.js';
import { modelFromSnapshot, type SessionInit, TrainingSession, toDataset } from '../../src/renderer/src/training/training-session.js';
import type { TrainConfig, WorkerEvent } from '../../src/renderer/src/training/worker-protocol.js';
import type { DatasetBytes } from '../../src/shared/bridge-api.js';
import { offlineDigits } from '../helpers/offline-digits.js';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
let train: DatasetBytes;
let validation: DatasetBytes;
let test: DatasetBytes;
let backend: Awaited<ReturnType<typeof createWasmBackend>>;

// The WebAssembly kernels, as in the app's worker and page (a LeNet-5 epoch takes ~10 s on the reference JS ones).
beforeAll(async () => {
  backend = await createWasmBackend({ threads: 1 });
  setBackend(backend);
  const digits = offlineDigits();
  ({ train, validation } = splitValidation(digits.train, 0.1));
  test = digits.test;
});

afterAll(() => {
  setBackend(createJsBackend());
  backend.dispose();
});

function fakeClock() {
  let t = 0;
  return () => (t += 40);
}

function preset(id: string): TrainConfig {
  return PRESETS.find((p) => p.id === id)!.config;
}

async function trainSnapshot(config: TrainConfig, initial?: ModelSnapshot, resume = false): Promise<{ events: WorkerEvent[]; snapshot: ModelSnapshot }> {
  const events: WorkerEvent[] = [];
  const init: SessionInit = { runId: 1, config, datasetLabel: 'offline digits', classNames: DIGITS, train, validation, initial, resume };
  await new TrainingSession(init, (e) => events.push(e), fakeClock()).run();
  const last = events.at(-1)!;
  if (last.type !== 'finished') throw new Error(`run ended with ${JSON.stringify(last)}`);
  return { events, snapshot: last.snapshot };
}

function pixelsOf(data: DatasetBytes, i: number): Float32Array {
  return Float32Array.from(data.images.subarray(i * 784, (i + 1) * 784), (b) => b / 255);
}

describe('a convolutional network in the desktop (LeNet-5 from core)', () => {
  let started: Extract<WorkerEvent, { type: 'started' }>;
  let epoch: Extract<WorkerEvent, { type: 'epoch' }>;
  let snapshot: ModelSnapshot;

  beforeAll(async () => {
    const run = await trainSnapshot({ ...preset('lenet5'), epochs: 1 });
    started = run.events[0] as typeof started;
    epoch = run.events.find((e) => e.type === 'epoch') as typeof epoch;
    snapshot = run.snapshot;
  });

  it('the presets are core\'s CNN layouts, not copies', () => {
    expect(preset('lenet5').architecture).toBe(CNN_ARCHITECTURES.lenet5);
    expect(preset('convnetjs-mnist').architecture).toBe(CNN_ARCHITECTURES['convnetjs-mnist']);
    expect(preset('fashion-cnn').architecture).toBe(CNN_ARCHITECTURES['fashion-cnn']);
  });

  it('trains one epoch in the worker session: accuracy rises from chance', () => {
    expect(started.parameterCount).toBe(61_706);
    expect(started.baselineValidationAccuracy).toBeLessThan(0.3);
    expect(epoch.validationAccuracy).toBeGreaterThan(0.8);
  });

  it('its snapshot is the state_dict the layer registry names, with the shapes it gives', () => {
    expect(snapshot.spec.inputShape).toEqual([1, 28, 28]);
    const expected = summarizeModel(snapshot.spec).flatMap((l) => l.parameters.map((p) => [p.name, [...p.shape]]));
    expect(snapshot.tensors.map((t) => [t.name, t.shape])).toEqual(expected);
    expect(snapshot.tensors[0]).toMatchObject({ name: '0.weight', shape: [6, 1, 5, 5] });
    expect(parameterCount(snapshot)).toBe(61_706);
    expect(describeArchitecture(snapshot.spec)).toBe('lenet5');
    expect(acceptsImages(snapshot.spec, IMAGE_SHAPE)).toBe(true);
  });

  it('predicts on the page what the worker evaluates, and survives a checkpoint bit for bit', () => {
    const loaded = decodeSnapshot(encodeSnapshot(snapshot));
    expect(loaded.spec).toEqual(snapshot.spec);
    expect(suggestCheckpointName(loaded)).toBe('offline-digits-lenet5.safetensors');
    const before = new Predictor(snapshot);
    const after = new Predictor(loaded);
    expect(after.inputShape).toEqual([1, 28, 28]);
    const evaluation = evaluateDataset(modelFromSnapshot(loaded), toDataset(test, DIGITS));
    expect(evaluation.accuracy).toBeGreaterThan(0.8);
    for (const i of [0, 1, 2, 500, 999]) {
      const p = after.predict(pixelsOf(test, i));
      expect([...p]).toEqual([...before.predict(pixelsOf(test, i))]);
      for (let c = 0; c < 10; c++) expect(p[c]).toBeCloseTo(evaluation.probabilities[i * 10 + c], 5);
    }
    before.dispose();
    after.dispose();
  });

  it('shows the first convolution: its filters, and feature maps before and after ReLU that follow the input', () => {
    const predictor = new Predictor(snapshot);
    const a = predictor.firstConvolution(pixelsOf(test, 0))!;
    expect(a.layer).toBe(0);
    expect(a.weightShape).toEqual([6, 1, 5, 5]);
    expect([...a.weights]).toEqual([...snapshot.tensors[0].data]);
    expect(a.mapShape).toEqual([6, 28, 28]);
    expect(a.activation).toBe('relu');
    expect([...a.activated!]).toEqual([...a.maps].map((v) => Math.max(0, v)));
    // One map by hand: the cross-correlation of the padded image with filter 3, plus its bias.
    const image = pixelsOf(test, 0);
    const bias = snapshot.tensors[1].data;
    const at = (y: number, x: number) => (y >= 0 && y < 28 && x >= 0 && x < 28 ? image[y * 28 + x] : 0);
    for (const [y, x] of [[0, 0], [14, 9], [27, 27]]) {
      let sum = bias[3];
      for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) sum += a.weights[3 * 25 + i * 5 + j] * at(y + i - 2, x + j - 2);
      expect(a.maps[3 * 784 + y * 28 + x]).toBeCloseTo(sum, 5);
    }
    const b = predictor.firstConvolution(pixelsOf(test, 1))!;
    expect([...b.maps]).not.toEqual([...a.maps]);
    // Feature maps leave the prediction alone.
    const p = predictor.predict(pixelsOf(test, 0));
    predictor.firstConvolution(pixelsOf(test, 1));
    expect([...predictor.predict(pixelsOf(test, 0))]).toEqual([...p]);
    predictor.dispose();
  });

  it('hands every WebAssembly buffer back: evaluations, predictors and feature maps leave no live bytes', () => {
    const round = () => {
      const model = modelFromSnapshot(snapshot);
      evaluateDataset(model, toDataset(validation, DIGITS));
      model.dispose();
      const predictor = new Predictor(snapshot);
      predictor.predict(pixelsOf(test, 3));
      predictor.firstConvolution(pixelsOf(test, 3));
      predictor.dispose();
    };
    round();
    const baseline = backend.liveBytes();
    for (let i = 0; i < 3; i++) {
      round();
      expect(backend.liveBytes()).toBe(baseline);
    }
  });

  it('continues exactly where it stopped (the form check looks at the current model, not the form)', async () => {
    expect(checkModelFits(snapshot.spec)).toEqual([]);
    const more = await trainSnapshot({ ...preset('lenet5'), epochs: 2 }, snapshot, true);
    expect(more.events[0]).toMatchObject({ type: 'started', parameterCount: 61_706 });
    expect(more.snapshot.training?.epochs).toBe(2); // resumed: the first epoch's history plus one more
    expect(more.snapshot.training?.history[0]).toEqual(snapshot.training?.history[0]);
    expect(more.snapshot.spec).toEqual(snapshot.spec);
    expect(more.snapshot.training!.history[1].valAccuracy).toBeGreaterThan(0.8);
  });
});

describe('batch norm in a snapshot', () => {
  it('carries the running statistics and num_batches_tracked through the page, a checkpoint and the predictor', async () => {
    const { snapshot } = await trainSnapshot({ ...preset('lenet5'), architecture: '1x28x28-conv(4,3,pad=1,bias=false)-bn-relu-maxpool(2)-flatten-10', epochs: 1 });
    const names = snapshot.tensors.map((t) => t.name);
    expect(names).toEqual(['0.weight', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked', '5.weight', '5.bias']);
    const tracked = snapshot.tensors.find((t) => t.name === '1.num_batches_tracked')!;
    expect(tracked.data[0]).toBe(Math.ceil(7200 / 64));
    expect(parameterCount(snapshot)).toBe(4 * 9 + 4 + 4 + 4 * 14 * 14 * 10 + 10);
    expect(describeArchitecture(snapshot.spec)).toBe('1x28x28-conv4-bn-maxpool-flatten-10');
    const loaded = decodeSnapshot(encodeSnapshot(snapshot));
    expect(loaded.tensors.map((t) => [t.name, [...t.data]])).toEqual(snapshot.tensors.map((t) => [t.name, [...t.data]]));
    const predictor = new Predictor(loaded);
    const reference = evaluateDataset(modelFromSnapshot(snapshot), toDataset(test, DIGITS));
    const p = predictor.predict(pixelsOf(test, 7));
    for (let c = 0; c < 10; c++) expect(p[c]).toBeCloseTo(reference.probabilities[7 * 10 + c], 5);
    expect(predictor.firstConvolution(pixelsOf(test, 7))!.activation).toBeNull(); // batch norm comes between
    predictor.dispose();
  });
});

describe('checking a CNN in the Train form', () => {
  it('accepts the CNN presets with the form\'s activation and dropout fields empty', () => {
    for (const id of ['lenet5', 'convnetjs-mnist', 'fashion-cnn']) expect(checkTrainConfig(preset(id)), id).toEqual([]);
  });

  it.each<[string, string, RegExp]>([
    ['images of another size', '1x32x32-conv(6,5)-relu-maxpool(2)-flatten-10', /start with 1x28x28/],
    ['three channels', '3x28x28-conv(6,5)-relu-flatten-10', /start with 1x28x28/],
    ['the wrong number of outputs', '1x28x28-conv(6,5)-relu-flatten-7', /end with 10/],
    ['no flatten before the linear layer', '1x28x28-conv(6,5)-relu-10', /flatten/],
    ['a kernel larger than the image', '1x28x28-conv(6,29)-flatten-10', /./],
    ['a misspelt layer', '1x28x28-cnov(6,5)-flatten-10', /cnov/],
  ])('refuses %s with a message', (_label, architecture, message) => {
    const problems = checkTrainConfig({ ...preset('lenet5'), architecture });
    expect(problems.length).toBeGreaterThanOrEqual(1);
    expect(problems.join('\n')).toMatch(message);
  });

  it('refuses to continue a model that does not take these images', () => {
    const spec = parseArchitecture('1x32x32-conv(4,5)-relu-flatten-10');
    expect(checkModelFits(spec).join('\n')).toMatch(/start with 1x28x28/);
    expect(acceptsImages(spec, IMAGE_SHAPE)).toBe(false);
    expect(acceptsImages(parseArchitecture('784-10'), IMAGE_SHAPE)).toBe(true);
  });
});

describe('every CNN preset starts in the worker session', () => {
  it.each(['lenet5', 'convnetjs-mnist', 'fashion-cnn'])('%s: builds, reports progress, stops with a snapshot of its whole state_dict', async (id) => {
    const events: WorkerEvent[] = [];
    const init: SessionInit = { runId: 3, config: preset(id), datasetLabel: 'offline digits', classNames: DIGITS, train, validation };
    const session = new TrainingSession(init, (e) => {
      events.push(e);
      if (e.type === 'progress') session.stop();
    }, fakeClock());
    await session.run();
    const finished = events.at(-1) as Extract<WorkerEvent, { type: 'finished' }>;
    expect(finished).toMatchObject({ type: 'finished', reason: 'stopped' });
    const summary = summarizeModel(finished.snapshot.spec);
    const names = summary.flatMap((l) => [...l.parameters, ...l.buffers].map((t) => t.name));
    expect(finished.snapshot.tensors.map((t) => t.name)).toEqual(names);
    expect(events[0]).toMatchObject({ type: 'started', parameterCount: summary.reduce((n, l) => n + l.parameterCount, 0) });
    // The page can predict with it and show its first convolution.
    const predictor = new Predictor(finished.snapshot);
    expect(predictor.predict(pixelsOf(test, 0)).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(predictor.firstConvolution(pixelsOf(test, 0))!.weightShape[1]).toBe(1);
    predictor.dispose();
  });
});

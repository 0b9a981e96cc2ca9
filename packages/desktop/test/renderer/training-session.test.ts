import { beforeAll, describe, expect, it } from 'vitest';
import { splitValidation } from '../../src/renderer/src/data/dataset-catalog.js';
import { decodeSnapshot, encodeSnapshot, suggestCheckpointName } from '../../src/renderer/src/model/checkpoint-codec.js';
import { Predictor } from '../../src/renderer/src/model/predictor.js';
import { PRESETS } from '../../src/renderer/src/train/presets.js';
import { evaluateDataset } from '../../src/renderer/src/training/evaluate-dataset.js';
import { canResume } from '../../src/renderer/src/training/resume.js';
import { modelFromSnapshot, type SessionInit, TrainingSession, toDataset } from '../../src/renderer/src/training/training-session.js';
import type { WorkerEvent } from '../../src/renderer/src/training/worker-protocol.js';
import type { DatasetBytes } from '../../src/shared/bridge-api.js';
import { offlineDigits } from '../helpers/offline-digits.js';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
let train: DatasetBytes;
let validation: DatasetBytes;
let test: DatasetBytes;

beforeAll(() => {
  const digits = offlineDigits();
  ({ train, validation } = splitValidation(digits.train, 0.1));
  test = digits.test;
});

/** A clock that moves 40 ms per reading, so progress reports come every few batches whatever the machine speed. */
function fakeClock() {
  let t = 0;
  return () => (t += 40);
}

function init(overrides: Partial<SessionInit['config']> = {}): SessionInit {
  return {
    runId: 7,
    // The 16-16 preset (3Blue1Brown's network) at the faster learning rate this suite has always used.
    config: { ...PRESETS.find((p) => p.id === '16-16')!.config, learningRate: 0.003, epochs: 1, ...overrides },
    datasetLabel: 'offline digits',
    classNames: DIGITS,
    train,
    validation,
  };
}

describe('training session (what the worker runs)', () => {
  it('splits the shipped digits 3,600 / 400 and keeps every class in the validation part', () => {
    expect(train.count).toBe(7200);
    expect(validation.count).toBe(800);
    expect(new Set(validation.labels).size).toBe(10);
  });

  it('trains one epoch: accuracy rises from chance, progress streams, the epoch carries usable weights', async () => {
    const events: WorkerEvent[] = [];
    await new TrainingSession(init(), (e) => events.push(e), fakeClock()).run();
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('started');
    expect(types.at(-1)).toBe('finished');
    expect(types.filter((t) => t === 'progress').length).toBeGreaterThan(5);
    const started = events[0] as Extract<WorkerEvent, { type: 'started' }>;
    const epoch = events.find((e) => e.type === 'epoch') as Extract<WorkerEvent, { type: 'epoch' }>;
    const finished = events.at(-1) as Extract<WorkerEvent, { type: 'finished' }>;
    expect(started.stepsPerEpoch).toBe(Math.ceil(7200 / 32));
    expect(started.parameterCount).toBe(784 * 16 + 16 + 16 * 16 + 16 + 16 * 10 + 10);
    expect(started.baselineValidationAccuracy).toBeLessThan(0.3);
    expect(epoch.validationAccuracy).toBeGreaterThan(0.75);
    expect(epoch.validationAccuracy).toBeGreaterThan(started.baselineValidationAccuracy + 0.4);
    expect(epoch.validationLoss).toBeLessThan(started.baselineValidationLoss);
    expect(finished.reason).toBe('completed');
    expect(finished.snapshot.training?.epochs).toBe(1);
    expect(finished.snapshot.training?.history[0]).toMatchObject({ epoch: 0, valAccuracy: epoch.validationAccuracy });
    const progress = events.filter((e): e is Extract<WorkerEvent, { type: 'progress' }> => e.type === 'progress');
    expect(progress.every((p, i) => i === 0 || p.step > progress[i - 1].step)).toBe(true);
    expect(progress.at(-1)!.epoch).toBeLessThanOrEqual(1);
    // The epoch's weights alone reproduce its validation accuracy.
    const again = evaluateDataset(modelFromSnapshot(epoch.snapshot), toDataset(validation, DIGITS));
    expect(again.accuracy).toBe(epoch.validationAccuracy);
  });

  it('is deterministic for a seed', async () => {
    const finals: Float32Array[] = [];
    for (let run = 0; run < 2; run++) {
      const events: WorkerEvent[] = [];
      await new TrainingSession(init({ architecture: '784-8-10' }), (e) => events.push(e), fakeClock()).run();
      const finished = events.at(-1) as Extract<WorkerEvent, { type: 'finished' }>;
      finals.push(finished.snapshot.tensors[0].data);
    }
    expect(Buffer.from(finals[0].buffer).equals(Buffer.from(finals[1].buffer))).toBe(true);
  });

  it('stops when asked, between batches, and says so', async () => {
    const events: WorkerEvent[] = [];
    const session = new TrainingSession(init({ epochs: 3 }), (e) => {
      events.push(e);
      if (e.type === 'progress' && events.filter((x) => x.type === 'progress').length === 2) session.stop();
    }, fakeClock());
    await session.run();
    const finished = events.at(-1) as Extract<WorkerEvent, { type: 'finished' }>;
    expect(finished.type).toBe('finished');
    expect(finished.reason).toBe('stopped');
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(0);
    expect(events.filter((e) => e.type === 'progress')).toHaveLength(2);
  });

  it('pauses (no progress while paused) and resumes to the end', async () => {
    const events: WorkerEvent[] = [];
    const session = new TrainingSession(init(), (e) => {
      events.push(e);
      if (e.type === 'progress' && events.filter((x) => x.type === 'progress').length === 1) session.pause();
    }, fakeClock());
    const done = session.run();
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 1));
    const whilePaused = events.length;
    expect(events.at(-1)!.type).toBe('paused');
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 1));
    expect(events.length).toBe(whilePaused);
    session.resume();
    await done;
    expect(events.at(-1)).toMatchObject({ type: 'finished', reason: 'completed' });
    expect(events.some((e) => e.type === 'resumed')).toBe(true);
  });

  it('resumes a stopped run exactly, even through a checkpoint: same weights and history as never stopping', async () => {
    const config = { architecture: '784-16-10', dropout: 0.2, epochs: 2 };
    const straight: WorkerEvent[] = [];
    await new TrainingSession(init(config), (e) => straight.push(e), fakeClock()).run();
    const expected = (straight.at(-1) as Extract<WorkerEvent, { type: 'finished' }>).snapshot;

    const first: WorkerEvent[] = [];
    const interrupted = new TrainingSession(init(config), (e) => {
      first.push(e);
      if (e.type === 'progress' && e.epoch > 1.3) interrupted.stop(); // in the middle of epoch 2
    }, fakeClock());
    await interrupted.run();
    const stopped = first.at(-1) as Extract<WorkerEvent, { type: 'finished' }>;
    expect(stopped.reason).toBe('stopped');
    expect(stopped.snapshot.trainer?.epoch).toBe(1);
    expect(stopped.snapshot.trainer?.batch).toBeGreaterThan(0);

    const reloaded = decodeSnapshot(encodeSnapshot(stopped.snapshot));
    expect(reloaded.trainer?.globalStep).toBe(stopped.snapshot.trainer?.globalStep);
    const second: WorkerEvent[] = [];
    await new TrainingSession({ ...init(config), initial: reloaded, resume: true }, (e) => second.push(e), fakeClock()).run();
    const resumed = (second.at(-1) as Extract<WorkerEvent, { type: 'finished' }>).snapshot;
    expect(resumed.tensors.map((t) => t.name)).toEqual(expected.tensors.map((t) => t.name));
    for (const [i, t] of resumed.tensors.entries()) {
      expect(Buffer.from(t.data.buffer).equals(Buffer.from(expected.tensors[i].data.buffer)), t.name).toBe(true);
    }
    expect(resumed.training?.history).toEqual(expected.training?.history);
  });

  it('extends a finished run to more epochs exactly', async () => {
    const two: WorkerEvent[] = [];
    await new TrainingSession(init({ architecture: '784-8-10', epochs: 2 }), (e) => two.push(e), fakeClock()).run();
    const one: WorkerEvent[] = [];
    await new TrainingSession(init({ architecture: '784-8-10', epochs: 1 }), (e) => one.push(e), fakeClock()).run();
    const after1 = (one.at(-1) as Extract<WorkerEvent, { type: 'finished' }>).snapshot;
    expect(canResume(after1, { ...init().config, architecture: '784-8-10', epochs: 2 }, train.count)).toBe(true);
    expect(canResume(after1, { ...init().config, epochs: 2, batchSize: 64 }, train.count)).toBe(false);
    expect(canResume(after1, { ...init().config, epochs: 2, optimizer: 'sgd' }, train.count)).toBe(false);
    expect(canResume(after1, { ...init().config, epochs: 1 }, train.count)).toBe(false);
    const more: WorkerEvent[] = [];
    await new TrainingSession({ ...init({ architecture: '784-8-10', epochs: 2 }), initial: after1, resume: true }, (e) => more.push(e), fakeClock()).run();
    const a = (two.at(-1) as Extract<WorkerEvent, { type: 'finished' }>).snapshot;
    const b = (more.at(-1) as Extract<WorkerEvent, { type: 'finished' }>).snapshot;
    expect(Buffer.from(b.tensors[0].data.buffer).equals(Buffer.from(a.tensors[0].data.buffer))).toBe(true);
    expect(b.training?.epochs).toBe(2);
  });

  it('fails with a typed code for an impossible architecture instead of throwing', async () => {
    expect(() => new TrainingSession(init({ architecture: '784-0-10' }), () => {})).toThrow(/784-0-10|size|0/);
  });

  it('round-trips through a checkpoint: the loaded model predicts exactly what the trained one did', async () => {
    const events: WorkerEvent[] = [];
    await new TrainingSession(init(), (e) => events.push(e), fakeClock()).run();
    const snapshot = (events.at(-1) as Extract<WorkerEvent, { type: 'finished' }>).snapshot;
    const bytes = encodeSnapshot(snapshot);
    const loaded = decodeSnapshot(bytes);
    expect(loaded.spec).toEqual(snapshot.spec);
    expect(loaded.classNames).toEqual(DIGITS);
    expect(loaded.training?.history).toEqual(snapshot.training?.history);
    expect(suggestCheckpointName(loaded)).toBe('offline-digits-784-16-16-10.safetensors');
    const before = new Predictor(snapshot);
    const after = new Predictor(loaded);
    const evaluation = evaluateDataset(modelFromSnapshot(loaded), toDataset(test, DIGITS));
    for (const i of [0, 1, 2, 500, 999]) {
      const pixels = Float32Array.from(test.images.subarray(i * 784, (i + 1) * 784), (b) => b / 255);
      const p = after.predict(pixels);
      expect([...p]).toEqual([...before.predict(pixels)]);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      for (let c = 0; c < 10; c++) expect(p[c]).toBeCloseTo(evaluation.probabilities[i * 10 + c], 5);
    }
    expect(evaluation.accuracy).toBeGreaterThan(0.75);
  });
});

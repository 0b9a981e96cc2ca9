import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, CNN_ARCHITECTURES, getBackend, parseArchitecture, setBackend, useFastestBackend } from '@scratchnet/core';
import { parseIdx } from '@scratchnet/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitValidation } from '../../src/renderer/src/data/dataset-catalog.js';
import type { ModelSnapshot } from '../../src/renderer/src/model/model-snapshot.js';
import { fineTuneConfig, mixForFineTune } from '../../src/renderer/src/teach/fine-tune-data.js';
import { QUICK_PRESET } from '../../src/renderer/src/train/presets.js';
import { evaluateDataset } from '../../src/renderer/src/training/evaluate-dataset.js';
import { modelFromSnapshot, type SessionInit, TrainingSession, toDataset } from '../../src/renderer/src/training/training-session.js';
import type { WorkerEvent } from '../../src/renderer/src/training/worker-protocol.js';
import type { DatasetBytes } from '../../src/shared/bridge-api.js';
import { decodeHandwritingFiles, type DigitSet } from '../../src/shared/handwriting-files.js';
import { packageRoot } from '../helpers/fixtures.js';
import { offlineDigits } from '../helpers/offline-digits.js';

/**
 * The fine-tune's settings on drawings, in five folds (each holding out a fifth of them) run
 * through the TrainingSession the worker runs, starting from the quick model as the end-to-end
 * test does. Two sets: test/fixtures/handwriting-delphine, 30 digits in one person's style the
 * quick model misreads (the Delphine handwriting font at random tilt, size and pen width, made by
 * bench/drawings/fine-tune-gain.mjs as the Draw screen preprocesses a canvas), and
 * test/fixtures/handwriting, 29 digits an earlier end-to-end test drew with the mouse in chromium
 * (three "writers", traced from MNIST test digits, which the quick model mostly reads already).
 */
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
let quick: ModelSnapshot;
let base: DatasetBytes;
let baseTest: DatasetBytes;
let quickTestAccuracy: number;
let drawings: DigitSet;
let delphine: DigitSet;

async function run(init: SessionInit): Promise<{ snapshot: ModelSnapshot; before: number; after: number }> {
  let before = Number.NaN;
  let finished: Extract<WorkerEvent, { type: 'finished' }> | undefined;
  let failure = '';
  await new TrainingSession(init, (event) => {
    if (event.type === 'started') before = event.baselineValidationAccuracy;
    if (event.type === 'finished') finished = event;
    if (event.type === 'failed') failure = event.message;
  }).run();
  if (!finished) throw new Error(`the run failed: ${failure}`);
  return { snapshot: finished.snapshot, before, after: finished.snapshot.training!.finalMetrics.val_accuracy! };
}

function pick(set: DigitSet, indices: number[]): DigitSet {
  const images = new Uint8Array(indices.length * 784);
  for (const [k, i] of indices.entries()) images.set(set.images.subarray(i * 784, (i + 1) * 784), k * 784);
  return { count: indices.length, images, labels: Uint8Array.from(indices, (i) => set.labels[i]) };
}

const previousBackend = getBackend();
beforeAll(async () => {
  // The WebAssembly kernels, as the app's training worker uses them (and five times as fast as the
  // reference loops: 20 fine-tunes). Their sums round differently, so a count can differ by one or
  // two from a run on the reference kernels.
  await useFastestBackend({ threads: 1 });
  const folder = join(packageRoot, 'test', 'fixtures', 'handwriting');
  const files = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map((name) => ({ name, bytes: readFileSync(join(folder, name)) }));
  const { train, heldOut } = await decodeHandwritingFiles(files);
  // All 29 together: each fold below makes its own split.
  drawings = { count: train.count + heldOut.count, images: new Uint8Array([...train.images, ...heldOut.images]), labels: new Uint8Array([...train.labels, ...heldOut.labels]) };
  const delphineFolder = join(packageRoot, 'test', 'fixtures', 'handwriting-delphine');
  delphine = {
    count: 30,
    images: parseIdx(readFileSync(join(delphineFolder, 'images-idx3-ubyte'))).data as Uint8Array,
    labels: parseIdx(readFileSync(join(delphineFolder, 'labels-idx1-ubyte'))).data as Uint8Array,
  };
  const digits = offlineDigits();
  base = digits.train;
  const { train: quickTrain, validation } = splitValidation(digits.train, 0.1);
  quick = (await run({ runId: 1, config: QUICK_PRESET.config, datasetLabel: 'offline digits', classNames: DIGITS, train: quickTrain, validation })).snapshot;
  baseTest = digits.test;
  const model = modelFromSnapshot(quick);
  quickTestAccuracy = evaluateDataset(model, toDataset(baseTest, DIGITS)).accuracy;
  model.dispose();
});

/** Five folds over `set` (fold k holds out drawings i with i % 5 = k): held out read right before and after, the drawings fine-tuned on, the offline test digits after. */
async function folds(set: DigitSet) {
  const result = { before: 0, after: 0, learnedBefore: 0, learnedAfter: 0, perFold: [] as string[], testAccuracies: [] as number[], worstFoldChange: Number.POSITIVE_INFINITY };
  const readRight = (snapshot: ModelSnapshot, part: DigitSet) => {
    const model = modelFromSnapshot(snapshot);
    const right = Math.round(evaluateDataset(model, toDataset({ source: 'drawings', rows: 28, cols: 28, ...part }, DIGITS)).accuracy * part.count);
    model.dispose();
    return right;
  };
  for (let fold = 0; fold < 5; fold++) {
    const all = [...Array(set.count).keys()];
    const heldOut = pick(set, all.filter((i) => i % 5 === fold));
    const train = pick(set, all.filter((i) => i % 5 !== fold));
    const tuned = await run({
      runId: 2 + fold,
      config: fineTuneConfig(quick),
      datasetLabel: 'your handwriting + offline digits',
      datasetName: 'handwriting',
      classNames: DIGITS,
      train: mixForFineTune(train, base),
      validation: { source: 'held out', rows: 28, cols: 28, ...heldOut },
      initial: quick,
    });
    expect(tuned.snapshot.training?.dataset.name).toBe('handwriting');
    const [b, a] = [Math.round(tuned.before * heldOut.count), Math.round(tuned.after * heldOut.count)];
    result.perFold.push(`${b}→${a}`);
    result.before += b;
    result.after += a;
    result.worstFoldChange = Math.min(result.worstFoldChange, a - b);
    result.learnedBefore += readRight(quick, train);
    result.learnedAfter += readRight(tuned.snapshot, train);
    const model = modelFromSnapshot(tuned.snapshot);
    result.testAccuracies.push(evaluateDataset(model, toDataset(baseTest, DIGITS)).accuracy);
    model.dispose();
  }
  return result;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

afterAll(() => setBackend(previousBackend));

describe('fine-tuning on your drawings (the worker’s session, in Node)', () => {
  it('reads more of a misread writer’s held-out drawings after fine-tuning: five folds of 30 drawings in one style', async () => {
    const r = await folds(delphine);
    console.log(
      `fine-tune, 5 folds of 30 Delphine drawings: held out ${r.before} → ${r.after} read right (${r.perFold.join(', ')}); the fine-tuning drawings ${r.learnedBefore} → ${r.learnedAfter} of 120; ` +
        `offline test digits ${pct(quickTestAccuracy)} → ${r.testAccuracies.map(pct).join(', ')}`,
    );
    // Measured (WebAssembly kernels): held out 17 → 28 of 30 (4→5, 3→6, 5→6, 2→5, 3→6); the
    // fine-tuning drawings 68 → 120 of 120; offline test digits 93.1 % → 94.0–94.5 %. The old settings (6 epochs at 0.0005, no augmentation,
    // 1,200 base digits) gave 17 → 25 (bench/drawings/FINE-TUNE-GAIN.md).
    expect(r.before).toBeLessThanOrEqual(20); // the quick model misreads this writer…
    expect(r.after).toBeGreaterThanOrEqual(r.before + 8); // …and reads far more after fine-tuning,
    expect(r.worstFoldChange).toBeGreaterThanOrEqual(0); // in every fold.
    // The offline test digits do not collapse: within a point of the quick model in every fold.
    for (const accuracy of r.testAccuracies) expect(accuracy).toBeGreaterThan(quickTestAccuracy - 0.01);
  });

  it('learns the drawings it is given and keeps most held-out ones of 29 mixed-writer mouse drawings the quick model already reads', async () => {
    expect(drawings.count).toBe(29);
    const r = await folds(drawings);
    console.log(
      `fine-tune, 5 folds of 29 drawings: held out ${r.before} → ${r.after} read right (${r.perFold.join(', ')}); the fine-tuning drawings ${r.learnedBefore} → ${r.learnedAfter} of 116; ` +
        `offline test digits ${pct(quickTestAccuracy)} → ${r.testAccuracies.map(pct).join(', ')}`,
    );
    // Measured: held out 24 → 22 of 29 (4→5, 6→5, 5→4, 5→6, 4→2; 24 → 24 on the reference
    // kernels); the fine-tuning drawings 96 → 116 of 116; offline test digits 93.1 % → 93.6–94.4 %. Three writers' slants in 23 drawings are not one hand: with
    // augmentation the fine-tune loses a couple of held-out drawings here (the old settings lost
    // one, 24 → 23), the price of its gain on a consistent hand above.
    expect(r.after).toBeGreaterThanOrEqual(r.before - 3);
    // It learns what it was shown: nearly every drawing it fine-tuned on, more than before.
    expect(r.learnedAfter).toBeGreaterThan(r.learnedBefore);
    expect(r.learnedAfter).toBeGreaterThanOrEqual(Math.floor(drawings.count * 4 * 0.95));
    for (const accuracy of r.testAccuracies) expect(accuracy).toBeGreaterThan(quickTestAccuracy - 0.01);
  });

  it('fine-tunes a CNN too: LeNet-5 without a training record keeps its layers and records core’s LeNet-5 string', async () => {
    const model = buildModel(parseArchitecture(CNN_ARCHITECTURES.lenet5), { seed: 3 });
    const lenet: ModelSnapshot = {
      spec: model.spec,
      tensors: [...model.stateDict()].map(([name, t]) => ({ name, shape: [...t.shape], data: t.data })),
      classNames: DIGITS,
    };
    model.dispose();
    const config = fineTuneConfig(lenet);
    expect(config.architecture).toBe(CNN_ARCHITECTURES.lenet5);
    const train = pick(drawings, [...Array(20).keys()]);
    const heldOut = pick(drawings, [20, 21, 22, 23, 24]);
    const result = await run({
      runId: 9,
      config: { ...config, epochs: 1 }, // one epoch over a small mix: this checks the plumbing, not accuracy
      datasetLabel: 'your handwriting + offline digits',
      datasetName: 'handwriting',
      classNames: DIGITS,
      train: mixForFineTune(train, base, { baseDigits: 60 }),
      validation: { source: 'held out', rows: 28, cols: 28, ...heldOut },
      initial: lenet,
    });
    expect(result.snapshot.spec).toEqual(lenet.spec);
    expect(result.snapshot.training?.hyperparameters.arch).toBe(CNN_ARCHITECTURES.lenet5);
    expect(result.snapshot.training?.dataset.train).toBe(60 + 20 * 2);
    // The weights moved.
    const first = (s: ModelSnapshot) => s.tensors.find((t) => t.name === '0.weight')!.data;
    expect(first(result.snapshot)).not.toEqual(first(lenet));
  });
});

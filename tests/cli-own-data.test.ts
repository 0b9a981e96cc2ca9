import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, jsonLines, runCli, startHarness } from './cli-harness.js';
import { COLOURS, halfImage, jpg, png, seeded, write, writeCifarBatches, writeColourFolder, writeHalvesCsv, writeHalvesFolder, writeHalvesIdx } from './cli-own-data-fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const accuracyOf = (stdout: string) => Number(/test accuracy [\d.]+% \((0\.\d+|1\.0+)\)/.exec(stdout)?.[1]);

/** train → eval → predict --index on one data path; returns eval's stdout. */
async function trainEvalPredict(dataPath: string, out: string, extra: string[], classes: string[]): Promise<{ train: string; eval: string }> {
  const train = await runCli(h, ['train', '--data-dir', dataPath, '--epochs', '8', '--lr', '0.003', '--val-split', '0.1', '--out', out, ...extra]);
  expect(train.code, train.stderr).toBe(0);
  expect(accuracyOf(train.stdout), train.stdout).toBeGreaterThan(0.9);
  const evaluation = await runCli(h, ['eval', out]);
  expect(evaluation.code, evaluation.stderr).toBe(0);
  // The data set's own class names, in the per-class table and the confusion matrix.
  for (const name of classes) expect(evaluation.stdout).toMatch(new RegExp(`^${name}\\s+[\\d.]+\\s+[\\d.]+`, 'm'));
  expect(evaluation.stdout).toContain(`(${/\((0\.\d+|1\.0+)\)/.exec(train.stdout)![1]})`);
  const predict = jsonLines((await runCli(h, ['predict', out, '--index', '0', '--json'])).stdout)[0];
  expect(classes).toContain(predict.label);
  expect(predict.top.map((t: { className: string }) => t.className).sort()).toEqual([...classes].sort());
  return { train: train.stderr, eval: evaluation.stdout };
}

describe('scratchnet-cli on your own data', () => {
  it('a folder of class subfolders of PNG and JPEG trains an MLP and a CNN; eval and predict report the folder names', async () => {
    const dir = join(h.root, 'halves');
    writeHalvesFolder(dir, 50);
    const mlp = await trainEvalPredict(dir, 'halves-mlp.safetensors', ['--arch', '784-128-64-10'], ['left', 'right', 'top']);
    // An MLP's sizes begin with the images' size and end in the folder's 3 classes.
    expect(mlp.train).toContain('model input 1x28x28 and 3 outputs follow the data: 784-128-64-3');
    expect(mlp.eval).toMatch(/on halves test set/);
    const cnn = await trainEvalPredict(dir, 'halves-cnn.safetensors', ['--arch', '1x28x28-conv(4,3,pad=1)-relu-maxpool(2)-flatten-10'], ['left', 'right', 'top']);
    expect(cnn.train).toContain('follow the data: 1x28x28-conv(4,3,pad=1)-relu-maxpool(2)-flatten-3');
    // Decoded once: the CNN run read the MLP run's cache.
    expect(cnn.train).toMatch(/read 150 decoded images from the cache/);

    // New pictures, larger than the training ones (56×56, PNG and JPEG): predict brings each to
    // 28×28 as the folder was loaded for training (the whole picture, area-resized), not by the
    // digit recipe, which would crop to the bright half and lose which half it was.
    const rand = seeded(11);
    for (const kind of ['left', 'right', 'top']) {
      write(join(h.root, 'new-halves', `${kind}.png`), png(56, 56, halfImage(kind, 56, rand)));
      write(join(h.root, 'new-halves', `${kind}.jpg`), jpg(56, 56, halfImage(kind, 56, rand)));
    }
    for (const model of ['halves-mlp.safetensors', 'halves-cnn.safetensors']) {
      const lines = jsonLines((await runCli(h, ['predict', model, join(h.root, 'new-halves'), '--json'])).stdout);
      expect(lines.map((l) => [l.image.replace(/^.*new-halves\//, ''), l.top[0].className]), model).toEqual([
        ['left.jpg', 'left'], ['left.png', 'left'], ['right.jpg', 'right'], ['right.png', 'right'], ['top.jpg', 'top'], ['top.png', 'top'],
      ]);
    }
  });

  it('a Kaggle-style CSV (header, string labels) trains the same way', async () => {
    const file = join(h.root, 'halves.csv');
    writeHalvesCsv(file, 150);
    await trainEvalPredict(file, 'csv.safetensors', [], ['left', 'right', 'top']);
  });

  it('a plain folder of IDX files under Kaggle-style names, with classes.txt, trains as it is (no checksum against any digest)', async () => {
    const dir = join(h.root, 'own-idx');
    writeHalvesIdx(dir, 150, 30);
    const run = await trainEvalPredict(dir, 'idx.safetensors', [], ['left', 'right', 'top']);
    expect(run.eval).toMatch(/on 30 images/);
  });

  it('a folder of 48×40 colour images trains a CNN at --image-size 32x32 with three channels', async () => {
    const dir = join(h.root, 'colours');
    writeColourFolder(dir, 30);
    const run = await trainEvalPredict(dir, 'colour.safetensors', ['--image-size', '32x32', '--arch', '3x32x32-conv(4,3,pad=1)-relu-maxpool(2)-flatten-3'], ['red', 'green', 'blue']);
    expect(run.train).toMatch(/model 3x32x32-conv\(4,3,pad=1\)/);
    const info = await runCli(h, ['info', 'colour.safetensors']);
    expect(info.stdout).toMatch(/3x32x32|\[3, 32, 32\]|3×32×32/);

    // predict reads new colour pictures of another size (64×50, PNG and JPEG) for the colour model.
    const rand = seeded(13);
    for (const [name, rgb] of Object.entries(COLOURS)) {
      const rgba = new Uint8Array(64 * 50 * 4);
      for (let p = 0; p < 64 * 50; p++) rgba.set([...rgb.map((c) => Math.max(0, Math.min(255, c + (rand() - 0.5) * 60))), 255], 4 * p);
      write(join(h.root, 'new-colours', `${name}.png`), png(64, 50, rgba));
      write(join(h.root, 'new-colours', `${name}.jpeg`), jpg(64, 50, rgba));
    }
    const predicted = await runCli(h, ['predict', 'colour.safetensors', join(h.root, 'new-colours'), '--json']);
    expect(predicted.code, predicted.stderr).toBe(0);
    expect(jsonLines(predicted.stdout).map((l) => [l.image.replace(/^.*new-colours\//, ''), l.top[0].className])).toEqual([
      ['blue.jpeg', 'blue'], ['blue.png', 'blue'], ['green.jpeg', 'green'], ['green.png', 'green'], ['red.jpeg', 'red'], ['red.png', 'red'],
    ]);
    const shown = await runCli(h, ['predict', 'colour.safetensors', join(h.root, 'new-colours', 'red.png'), '--show']);
    expect(shown.stdout).toMatch(/^\s+1\. red\s+\d/m);
  });

  it('--dataset cifar-10 with a data dir of its binary batches trains a CNN on 3×32×32 (input and output follow the data)', async () => {
    const dir = join(h.root, 'cifar');
    writeCifarBatches(dir, 30);
    const train = await runCli(h, ['train', '--dataset', 'cifar-10', '--data-dir', join(dir, 'cifar-10-batches-bin'), '--arch', '1x28x28-conv(4,3,pad=1)-relu-maxpool(4)-flatten-10', '--epochs', '6', '--lr', '0.01', '--out', 'cifar.safetensors']);
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr).toContain('model input 3x32x32 and 10 outputs follow the data: 3x32x32-conv(4,3,pad=1)-relu-maxpool(4)-flatten-10');
    expect(train.stderr).toMatch(/data cifar-10: 135 train, 15 validation, 30 test/);
    expect(accuracyOf(train.stdout)).toBeGreaterThan(0.9);
    const evaluation = await runCli(h, ['eval', 'cifar.safetensors']);
    expect(evaluation.stdout).toMatch(/^airplane\s/m);
    expect(evaluation.stdout).toMatch(/^truck\s/m);
  });
});

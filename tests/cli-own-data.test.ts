import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, jsonLines, runCli, startHarness } from './cli-harness.js';
import { writeCifarBatches, writeColourFolder, writeHalvesCsv, writeHalvesFolder, writeHalvesIdx } from './cli-own-data-fixtures.js';

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

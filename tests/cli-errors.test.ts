import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, runCli, startHarness } from './cli-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const run = await runCli(h, ['train', '--dataset', 'tiny', '--arch', '784-8-5', '--epochs', '1', '--out', 'ok.safetensors']);
  expect(run.code).toBe(0);
  const good = readFileSync(join(h.root, 'ok.safetensors'));
  writeFileSync(join(h.root, 'truncated.safetensors'), good.subarray(0, good.length - 100));
  writeFileSync(join(h.root, 'garbage.safetensors'), Buffer.from('this is not a checkpoint at all, just some text'));
  writeFileSync(join(h.root, 'bad.json'), '{ "lr": 0.1, ');
  writeFileSync(join(h.root, 'not-a.png'), 'hello');
  mkdirSync(join(h.root, 'empty'));
});
afterAll(() => h?.close());

/** Exit code, and stderr as lines; every error starts with "error: " and carries no stack trace. */
async function fails(args: string[]) {
  const run = await runCli(h, args);
  // Progress notes ("loading tiny…") go to stderr before the error; nothing reaches stdout.
  const lines = run.stderr.trimEnd().split('\n').filter((line) => !/^loading [^\n]*…$/.test(line));
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stdout).toBe('');
  return { code: run.code, lines, stderr: run.stderr };
}

describe('bad flags: one line with the closest valid value, exit 2', () => {
  it.each([
    [['train', '--optimizer', 'adma'], "error: --optimizer: unknown value 'adma'; did you mean 'adam'? (valid: sgd, momentum, rmsprop, adam, adamw)"],
    [['train', '--loss', 'cross'], "error: --loss: unknown value 'cross'; did you mean 'ce'? (valid: ce, mse, bce)"],
    [['train', '--epochs', '0'], "error: --epochs: '0' is not a whole number ≥ 1; try --epochs 5"],
    [['train', '--lr', 'fast'], "error: --lr: 'fast' is not a positive number; try --lr 0.001"],
    [['train', '--val-split', '1.2'], "error: --val-split: '1.2' must be at least 0 and below 1; try --val-split 0.9"],
    [['train', '--preset', '16x16'], "error: --preset: unknown value '16x16'; did you mean '16-16'? (valid: 16-16, 784x3, dropout, mse, fashion, lenet5, digits-cnn, convnetjs-mnist, fashion-cnn, quick)"],
    [['train', '--schedule', 'cosin'], 'error: --schedule: unknown schedule \'cosin\'; use one of constant, cosine, cosine:<minLr>, step:<every>:<gamma>, exp:<gamma>, warmup:<epochs>[:<then>]'],
    [['train', '--dataset', 'fashion'], "error: --dataset: unknown value 'fashion'; did you mean 'fashion-mnist'? (valid: mnist, fashion-mnist, kmnist, tiny, cifar-10, digits)"],
    [['train', '--dataset', 'tiny', '--arch', '784-16-3'], 'error: --arch 784-16-3 does not fit tiny (784 inputs, 5 classes); try --arch 784-16-5'],
    [['predict', 'ok.safetensors', '--index', '5000'], 'error: --index 5000 is past the end of the tiny test set; try --index 99'],
  ])('%j', async (args, message) => {
    const { code, lines } = await fails(args);
    expect(code).toBe(2);
    expect(lines).toEqual([message]);
  });

  it('an unknown activation lists the valid ones', async () => {
    const { code, lines } = await fails(['train', '--dataset', 'tiny', '--arch', '784-8-8-5', '--activations', 'relu,swish']);
    expect(code).toBe(2);
    expect(lines[0]).toMatch(/unknown activation 'swish'; valid activations: relu, leaky_relu, sigmoid, tanh, selu/);
  });

  it('unknown options and commands get commander\'s suggestion on the same line', async () => {
    const option = await fails(['train', '--lrr', '0.1']);
    expect(option.code).toBe(2);
    expect(option.lines).toEqual(["error: unknown option '--lrr' (Did you mean --lr?)"]);
    const command = await fails(['trian']);
    expect(command.code).toBe(2);
    expect(command.lines).toEqual(["error: unknown command 'trian' (Did you mean train?)"]);
  });

  it('a broken --config file names the problem (exit 2)', async () => {
    const { code, lines } = await fails(['train', '--config', 'bad.json']);
    expect(code).toBe(2);
    expect(lines[0]).toMatch(/^error: --config bad\.json: not valid JSON/);
    expect(lines[1]).toBe('  fix the JSON file or drop --config');
  });

  it('predict without images says how to call it', async () => {
    const { code, lines } = await fails(['predict', 'ok.safetensors']);
    expect(code).toBe(2);
    expect(lines[0]).toContain('give one or more PNG or JPEG files, or --index <n>');
  });
});

describe('missing or corrupt files: what is wrong and what to do, exit 1', () => {
  it('a model file that does not exist', async () => {
    const { code, lines } = await fails(['eval', 'nope.safetensors']);
    expect(code).toBe(1);
    expect(lines).toEqual(["error: model file 'nope.safetensors' does not exist", '  check the path, or train one with `scratchnet-cli train --out <file>`']);
  });

  it.each(['garbage.safetensors', 'truncated.safetensors'])('a corrupt model file (%s)', async (file) => {
    for (const command of ['eval', 'info', 'predict', 'play']) {
      const { code, lines } = await fails(command === 'predict' ? [command, file, '--index', '0'] : [command, file]);
      expect(code).toBe(1);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toBe('  the file is damaged or not a scratchnet checkpoint; restore a good copy or train one with `scratchnet-cli train --out <file>`');
    }
  });

  it('an image that is not a PNG', async () => {
    const { code, lines } = await fails(['predict', 'ok.safetensors', 'not-a.png']);
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/^error: 'not-a\.png' is not a readable PNG image/);
  });

  it('data that is not where --data-dir says', async () => {
    const { code, lines } = await fails(['train', '--dataset', 'fashion-mnist', '--data-dir', 'empty']);
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/^error: empty: found no IDX files \(train-images-idx3-ubyte…\), no \.csv and no class folders of images; give one of those$/);
    expect(lines[1]).toContain("pass --data-dir <folder with the dataset's files (its IDX files, or CIFAR-10's archive)>");
  });

  it('a corrupted cache entry fails data verify', async () => {
    const cached = join(h.root, 'cache', 'datasets', 'tiny', 't10k-labels-idx1-ubyte.gz');
    const bytes = readFileSync(cached);
    writeFileSync(cached, Buffer.concat([bytes.subarray(0, 20), Buffer.from('xx'), bytes.subarray(22)]));
    const run = await runCli(h, ['data', 'verify', 'tiny']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/t10k-labels-idx1-ubyte\.gz +CORRUPT/);
    expect(run.stderr).toContain('scratchnet-cli data download');
    writeFileSync(cached, bytes);
  });

  it('--debug adds the stack trace', async () => {
    const run = await runCli(h, ['eval', 'garbage.safetensors', '--debug']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\n\s+at /);
  });
});

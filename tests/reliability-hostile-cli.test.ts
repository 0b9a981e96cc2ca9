import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { greyPng } from './cli-harness.js';
import { startNode } from './reliability/helpers/child-process.js';
import { cliBin, tempDir } from './reliability/helpers/paths.js';

/**
 * Hostile flags and configs against the built CLI, run as a user runs it
 * (`node packages/cli/bin/scratchnet-cli.js train …`): each must end with a clear one-line
 * message naming what is wrong, the documented exit code (2 for a bad flag or value, 1 for a file
 * or data problem), no stack trace or "internal error", and nothing written where --out points.
 * Offline and with an empty cache, so no case can reach the network.
 */
const cliReady = existsSync(join(cliBin, '..', '..', 'dist', 'cli.js'));

interface HostileCase {
  name: string;
  /** Flags after `train`; `{dir}` is this case's scratch folder, `{fixtures}` the shared one. */
  args: string[];
  exit: number;
  message: RegExp;
  /** Flags that replace the defaults below (otherwise quick offline digits, one epoch). */
  bare?: boolean;
}

const flag = (name: string, value: string, message: RegExp): HostileCase => ({ name: `${name} ${value}`, args: [name, value], exit: 2, message });

const cases: HostileCase[] = [
  flag('--epochs', '0', /--epochs: '0' is not a whole number ≥ 1/),
  flag('--epochs', '-3', /--epochs: '-3'/),
  flag('--epochs', '1.5', /--epochs: '1.5'/),
  flag('--epochs', '1e400', /--epochs: '1e400'/),
  flag('--batch-size', '0', /--batch-size: '0' is not a whole number ≥ 1/),
  flag('--batch-size', '-1', /--batch-size: '-1'/),
  flag('--batch-size', 'NaN', /--batch-size: 'NaN'/),
  // Absurd: 10^12 examples a batch is no batch size any data set here can have.
  flag('--batch-size', '1e12', /--batch-size/),
  flag('--lr', 'NaN', /--lr: 'NaN' is not a positive number/),
  flag('--lr', '-0.1', /--lr: '-0.1'/),
  flag('--lr', '0', /--lr: '0'/),
  flag('--lr', 'Infinity', /--lr: 'Infinity'/),
  flag('--arch', '784-0-10', /size #2 '0' is not a positive whole number/),
  flag('--arch', '784--10', /size #2 '' is not a positive whole number/),
  flag('--arch', 'abc', /size #1 'abc'/),
  // 784 × 10^8 weights (~314 GB): must be refused as a bad value, not crash allocating.
  flag('--arch', '784-100000000-10', /784-100000000-10|too (large|big)|parameters/),
  flag('--dropout', '1.5', /--dropout: '1.5' must be at least 0 and below 1/),
  flag('--dropout', '-0.2', /--dropout: '-0.2'/),
  flag('--val-split', '1.5', /--val-split: '1.5'/),
  flag('--train-limit', '0', /--train-limit: '0'/),
  flag('--momentum', '2', /--momentum: '2'/),
  flag('--weight-decay', '-1', /--weight-decay: '-1'/),
  flag('--seed', '-1', /--seed: '-1'/),
  flag('--seed', 'abc', /--seed: 'abc'/),
  flag('--early-stopping', '-1', /--early-stopping: '-1'/),
  flag('--schedule', 'bogus', /unknown schedule 'bogus'/),
  flag('--preset', 'nosuch', /--preset: unknown value 'nosuch'.*valid:/),
  flag('--dataset', 'nosuch', /--dataset: unknown value 'nosuch'.*valid:/),
  flag('--optimizer', 'nosuch', /--optimizer: unknown value 'nosuch'.*valid:/),
  flag('--loss', 'nosuch', /--loss: unknown value 'nosuch'/),
  flag('--activations', 'nosuch', /unknown activation 'nosuch'; valid activations/),
  // The default model is a CNN that names its activations layer by layer: refused, not ignored.
  flag('--activations', 'tanh', /--activations applies to a layer-size architecture such as --arch 784-128-64-10/),
  flag('--dropout', '0.2', /lists its layers one by one, so write activations and dropout in it/),
  { name: 'an unknown flag', args: ['--foo'], exit: 2, message: /unknown option '--foo'/ },
  { name: '--config that does not exist', args: ['--config', '{dir}/missing.json'], exit: 1, message: /--config: cannot read .*missing\.json/ },
  { name: '--config that is not JSON', args: ['--config', '{fixtures}/not-json.json'], exit: 2, message: /not valid JSON/ },
  { name: '--config with a NaN learning rate', args: ['--config', '{fixtures}/nan-lr.json'], exit: 2, message: /lr: 'NaN' is not a positive number/ },
  { name: '--config with an unknown setting', args: ['--config', '{fixtures}/unknown-key.json'], exit: 2, message: /unknown setting 'bogus'/ },
  { name: '--config that is a directory', args: ['--config', '{fixtures}'], exit: 1, message: /--config: cannot read/ },
  { name: '--resume from a missing file', args: ['--resume', '{dir}/missing.safetensors'], exit: 1, message: /missing\.safetensors' does not exist/, bare: true },
  { name: '--resume from random bytes', args: ['--resume', '{fixtures}/garbage.safetensors'], exit: 1, message: /not a safetensors file|damaged|corrupt/, bare: true },
  { name: '--resume from a directory', args: ['--resume', '{fixtures}'], exit: 1, message: /cannot read checkpoint/, bare: true },
  {
    name: '--data-dir that does not exist',
    args: ['--dataset', 'mnist', '--data-dir', '{dir}/nowhere', '--train-limit', '100', '--epochs', '1', '--out', '{dir}/out/m.safetensors'],
    exit: 1,
    message: /nowhere: does not exist or cannot be read \(ENOENT\); give a folder of IDX files or class folders of images, or a \.csv file/,
    bare: true,
  },
  {
    name: '--data-dir that is a file',
    args: ['--dataset', 'mnist', '--data-dir', '{fixtures}/not-json.json', '--train-limit', '100', '--epochs', '1', '--out', '{dir}/out/m.safetensors'],
    exit: 1,
    message: /not-json\.json: is a file but not a \.csv; give a \.csv file, or a folder of IDX files or of class folders of images/,
    bare: true,
  },
  {
    name: '--data-dir holding random bytes under the right names (read as own files: refused by structure)',
    args: ['--dataset', 'mnist', '--data-dir', '{fixtures}/garbage-data', '--train-limit', '100', '--epochs', '1', '--out', '{dir}/out/m.safetensors'],
    exit: 1,
    message: /not an IDX file/,
    bare: true,
  },
  {
    name: 'an uncached data set while offline',
    args: ['--dataset', 'fashion-mnist', '--train-limit', '100', '--epochs', '1', '--out', '{dir}/out/m.safetensors'],
    exit: 1,
    message: /not in the cache .* downloads are off/,
    bare: true,
  },
  {
    name: '--out in a folder that does not exist',
    args: ['--dataset', 'digits', '--train-limit', '100', '--epochs', '1', '--out', '{dir}/no/such/folder/m.safetensors'],
    exit: 1,
    message: /cannot write checkpoint .*m\.safetensors/,
    bare: true,
  },
  {
    name: '--out naming a directory',
    args: ['--dataset', 'digits', '--train-limit', '100', '--epochs', '1', '--out', '{dir}/out'],
    exit: 1,
    message: /cannot write checkpoint/,
    bare: true,
  },
];

let fixtures: string;
beforeAll(async () => {
  fixtures = await tempDir('hostile-fixtures');
  await writeFile(join(fixtures, 'not-json.json'), 'not json');
  await writeFile(join(fixtures, 'nan-lr.json'), '{"lr": "NaN"}');
  await writeFile(join(fixtures, 'unknown-key.json'), '{"lr": 0.1, "bogus": 1}');
  await writeFile(join(fixtures, 'garbage.safetensors'), Uint8Array.from({ length: 300 }, (_, i) => (i * 151 + 7) & 0xff));
  await writeFile(join(fixtures, 'random.png'), Uint8Array.from({ length: 200 }, (_, i) => (i * 113 + 5) & 0xff));
  await writeFile(join(fixtures, 'signature-only.png'), Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  await writeFile(join(fixtures, 'bomb.png'), pngDeclaring(16_000, 16_000));
  await mkdir(join(fixtures, 'garbage-data'));
  for (const name of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) {
    await writeFile(join(fixtures, 'garbage-data', name), Uint8Array.from({ length: 100 }, (_, i) => (i * 97 + 3) & 0xff));
  }
});

/** A 74-byte greyscale PNG whose header declares width × height pixels (all one colour). */
function pngDeclaring(width: number, height: number): Uint8Array {
  return new Uint8Array(greyPng(width, height, deflateSync(Buffer.alloc(1000))));
}

describe.skipIf(!cliReady).concurrent('scratchnet-cli train with hostile flags and configs', () => {
  it.each(cases)('$name → exit $exit with a clear message, nothing written', async ({ args, exit, message, bare }) => {
    const dir = await tempDir('hostile');
    await mkdir(join(dir, 'out'));
    const fill = (arg: string) => arg.replaceAll('{dir}', dir).replaceAll('{fixtures}', fixtures);
    const defaults = ['--dataset', 'digits', '--train-limit', '100', '--epochs', '1', '--out', join(dir, 'out', 'model.safetensors')];
    const child = startNode([cliBin, 'train', ...(bare ? [] : defaults), ...args.map(fill)], {
      env: { SCRATCHNET_OFFLINE: '1', SCRATCHNET_CACHE_DIR: join(dir, 'cache'), SCRATCHNET_MIRROR: '' },
    });
    const result = await child.exited;
    const stderr = child.stderr();
    // Progress notes ("loading …") may come first on stderr; the error is the first line after them.
    const context = `stderr: ${stderr}\nstdout: ${child.lines.join('\n')}`;
    expect(result.code, context).toBe(exit);
    expect(stderr, context).toMatch(/^(?:loading [^\n]*\n)*error: /);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
    expect(await readdir(join(dir, 'out')), 'files written under the --out folder').toEqual([]);
  });
});

interface CommandCase {
  name: string;
  /** Full argument list; `{model}` is a real checkpoint, `{fixtures}` the shared folder. */
  args: string[];
  exit: number;
  message: RegExp;
}

const commandCases: CommandCase[] = [
  { name: 'info on random bytes', args: ['info', '{fixtures}/garbage.safetensors'], exit: 1, message: /not a safetensors file|damaged/ },
  { name: 'eval on random bytes', args: ['eval', '{fixtures}/garbage.safetensors'], exit: 1, message: /not a safetensors file|damaged/ },
  { name: 'info on a directory', args: ['info', '{fixtures}'], exit: 1, message: /cannot read checkpoint/ },
  { name: 'info on a missing file', args: ['info', '{fixtures}/missing.safetensors'], exit: 1, message: /does not exist/ },
  { name: 'predict on random bytes as a PNG', args: ['predict', '{model}', '{fixtures}/random.png'], exit: 1, message: /is not a readable PNG image/ },
  { name: 'predict on a PNG cut after its signature', args: ['predict', '{model}', '{fixtures}/signature-only.png'], exit: 1, message: /is not a readable PNG image/ },
  { name: 'predict on a missing PNG', args: ['predict', '{model}', '{fixtures}/missing.png'], exit: 1, message: /cannot read image/ },
  { name: 'predict with a model of random bytes', args: ['predict', '{fixtures}/garbage.safetensors', '{fixtures}/random.png'], exit: 1, message: /not a safetensors file|damaged/ },
  { name: 'eval with an unknown data set', args: ['eval', '{model}', '--dataset', 'nosuch'], exit: 2, message: /--dataset: unknown value 'nosuch'/ },
  { name: 'data verify of an unknown data set', args: ['data', 'verify', 'nosuch'], exit: 2, message: /unknown value 'nosuch'/ },
  { name: 'an unknown command', args: ['bogus-command'], exit: 2, message: /unknown command 'bogus-command'/ },
];

describe.skipIf(!cliReady)('other commands with hostile files', () => {
  let model: string;
  beforeAll(async () => {
    const dir = await tempDir('hostile-model');
    model = join(dir, 'model.safetensors');
    const child = startNode([cliBin, 'train', '--dataset', 'digits', '--train-limit', '100', '--epochs', '1', '--arch', '784-8-10', '--out', model]);
    expect((await child.exited).code, child.stderr()).toBe(0);
  });

  it.concurrent.each(commandCases)('$name → exit $exit with a clear message', async ({ args, exit, message }) => {
    const dir = await tempDir('hostile-command');
    const fill = (arg: string) => arg.replaceAll('{model}', model).replaceAll('{fixtures}', fixtures);
    const child = startNode([cliBin, ...args.map(fill)], { env: { SCRATCHNET_OFFLINE: '1', SCRATCHNET_CACHE_DIR: join(dir, 'cache') } });
    const result = await child.exited;
    const stderr = child.stderr();
    expect(result.code, `stderr: ${stderr}`).toBe(exit);
    expect(stderr).toMatch(/^(?:loading [^\n]*\n)*error: /);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
  });

  // A 74-byte PNG declaring 16,000 × 16,000 pixels. Unfixed, pngjs inflated all 256 M pixels
  // (≈ 2 GB RSS, ~30 s) before "is blank"; the CLI now checks the declared size first.
  it('predict refuses a PNG bomb by its declared size, before decoding it', async () => {
    const child = startNode([cliBin, 'predict', model, join(fixtures, 'bomb.png')]);
    const result = await child.exited;
    expect(result.code).toBe(1);
    expect(child.stderr()).toMatch(/16000|16,000|too (large|big)/);
  });
});

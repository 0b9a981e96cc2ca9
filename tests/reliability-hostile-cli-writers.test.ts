import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, open, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeCheckpoint, encodeCheckpoint } from '@scratchnet/model-format';
import { readCheckpoint } from '@scratchnet/model-format/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGreyPng } from './cli-harness.js';
import { type WatchedChild, startNode } from './reliability/helpers/child-process.js';
import { cliBin, tempDir as makeTempDir } from './reliability/helpers/paths.js';

/**
 * What the CLI writes, and what a file may make it do (issue #19): special files as --out, a
 * checkpoint that names where to write or lies in its settings, two runs on one --out, side files,
 * SIGTERM/SIGHUP, --threads on resume, control characters from files, FIFOs and endless devices
 * as inputs. Each case runs the BUILT CLI as a child process, offline, in a temp dir; FIFOs and
 * device nodes are made there with mkfifo/mknod (mknod needs root, as in CI) and nothing outside
 * the temp dir is touched.
 */
const cliReady = existsSync(join(cliBin, '..', '..', 'dist', 'cli.js'));
const isRoot = process.getuid?.() === 0;
const OFFLINE = (dir: string) => ({ SCRATCHNET_OFFLINE: '1', SCRATCHNET_CACHE_DIR: join(dir, 'cache'), SCRATCHNET_MIRROR: '' });

/** A quick offline run: 300 digits, a tiny network, batch 16 (19 steps an epoch). */
const train = (out: string, epochs: number, ...extra: string[]) => [
  cliBin, 'train', '--dataset', 'digits', '--train-limit', '300', '--arch', '784-8-10', '--batch-size', '16',
  '--val-split', '0', '--epochs', String(epochs), '--out', out, ...extra,
];

/** Starts the CLI; a child still running after `limitMs` is killed, so a hang fails instead of blocking the suite. */
function cli(args: string[], dir: string, limitMs = 60_000): WatchedChild & { timedOut: () => boolean } {
  const child = startNode(args, { env: OFFLINE(dir), cwd: dir });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.process.kill('SIGKILL');
  }, limitMs);
  void child.exited.then(() => clearTimeout(timer));
  return Object.assign(child, { timedOut: () => timedOut });
}

/** Temp dirs of this file, removed at the end: they hold FIFOs and device nodes made here. */
const made: string[] = [];
async function tempDir(prefix: string): Promise<string> {
  const dir = await makeTempDir(prefix);
  made.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

const sha = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');
const noStack = (stderr: string) => expect(stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);

/** A resumable checkpoint: a 40-epoch run stopped by SIGINT after its first epoch. */
async function interruptedRun(out: string, dir: string): Promise<void> {
  const child = cli(train(out, 40, '--json'), dir);
  await child.waitForLine(/"event":"epoch","epoch":1,/);
  child.process.kill('SIGINT');
  expect((await child.exited).code, child.stderr()).toBe(130);
}

/** `source` re-encoded with its training record changed by `edit` (the SHA covers tensors only). */
async function withTraining(source: string, target: string, edit: (training: Record<string, any>) => void): Promise<void> {
  const decoded = decodeCheckpoint(new Uint8Array(await readFile(source)));
  const training = structuredClone(decoded.training) as Record<string, any>;
  edit(training);
  await writeFile(target, encodeCheckpoint({ ...decoded, training: training as never }));
}

let fixtures: string;
let resumable: string;
beforeAll(async () => {
  if (!cliReady) return;
  fixtures = await tempDir('writers-fixtures');
  resumable = join(fixtures, 'resumable.safetensors');
  await interruptedRun(resumable, fixtures);
});

describe.skipIf(!cliReady)('1. --out never replaces a special file', () => {
  it('a FIFO as --out is refused before loading data, and stays a FIFO', async () => {
    const dir = await tempDir('out-fifo');
    const fifo = join(dir, 'model.safetensors');
    execFileSync('mkfifo', [fifo]);
    const child = cli(train(fifo, 1), dir);
    const exit = await child.exited;
    expect(exit.code, child.stderr()).toBe(1);
    expect(child.stderr()).toMatch(/^error: cannot write checkpoint .*model\.safetensors: it is a FIFO \(named pipe\), not a regular file/);
    expect(child.lines.join('\n') + child.stderr()).not.toMatch(/loading/);
    noStack(child.stderr());
    expect((await stat(fifo)).isFIFO()).toBe(true);
    expect(await readdir(dir)).toEqual(['model.safetensors']);
  });

  it.skipIf(!isRoot)('a character device as --out (a null device made here with mknod) stays a device', async () => {
    const dir = await tempDir('out-device');
    const device = join(dir, 'null');
    execFileSync('mknod', [device, 'c', '1', '3']);
    const child = cli(train(device, 1), dir);
    expect((await child.exited).code, child.stderr()).toBe(1);
    expect(child.stderr()).toMatch(/cannot write checkpoint .*null: it is a character device, not a regular file/);
    expect((await stat(device)).isCharacterDevice()).toBe(true);
    expect(await readdir(dir)).toEqual(['null']);
  });

  // Unfixed, this trained an epoch and then failed with "ENOSPC: no space left on device, write",
  // naming no file, after writing the checkpoint.
  it.skipIf(!isRoot)('a full device where the metrics CSV goes is refused up front, naming the file', async () => {
    const dir = await tempDir('csv-device');
    execFileSync('mknod', [join(dir, 'm.metrics.csv'), 'c', '1', '7']);
    const child = cli(train(join(dir, 'm.safetensors'), 1), dir);
    expect((await child.exited).code, child.stderr()).toBe(1);
    expect(child.stderr()).toMatch(/m\.metrics\.csv is a character device, not a regular file/);
    expect((await stat(join(dir, 'm.metrics.csv'))).isCharacterDevice()).toBe(true);
    expect(await readdir(dir)).toEqual(['m.metrics.csv']);
  });
});

describe.skipIf(!cliReady)('2. a checkpoint never chooses where we write, and its settings pass the flag checks', () => {
  it('--resume of a copy in backup/ writes beside the copy and leaves runA/ untouched', async () => {
    const dir = await tempDir('resume-copy');
    await mkdir(join(dir, 'runA'));
    await mkdir(join(dir, 'backup'));
    const original = join(dir, 'runA', 'm.safetensors');
    await copyFile(resumable, original);
    // Re-record the run as if it had been written to runA/ (the file says where it came from).
    await withTraining(original, original, (t) => {
      t.hyperparameters.out = original;
    });
    const before = await sha(original);
    const copy = join(dir, 'backup', 'm.safetensors');
    await copyFile(original, copy);
    const child = cli([cliBin, 'train', '--resume', copy, '--json'], dir, 120_000);
    expect((await child.exited).code, child.stderr()).toBe(0);
    expect(await readdir(join(dir, 'runA'))).toEqual(['m.safetensors']);
    expect(await sha(original)).toBe(before);
    expect((await readdir(join(dir, 'backup'))).sort()).toEqual(['m.loss.svg', 'm.metrics.csv', 'm.safetensors']);
    const done = await readCheckpoint(copy);
    expect(done.trainer).toBeUndefined();
    expect(done.training!.history).toHaveLength(40);
  });

  const lies: Array<[string, (t: Record<string, any>) => void, RegExp]> = [
    ['epochs: 1e15', (t) => { t.hyperparameters.epochs = 1e15; }, /epochs: 1000000000000000 is more than the 62,500 allowed/],
    ['a non-string schedule', (t) => { t.hyperparameters.schedule = { type: 'step', stepSize: 1 }; }, /schedule: expected a number or a string, got an object/],
    ['schedule step:0', (t) => { t.hyperparameters.schedule = 'step:0:0.5'; }, /the step size must be a whole number of epochs ≥ 1/],
    ['a seed above 2^53', (t) => { t.hyperparameters.seed = 2 ** 53 + 2; }, /seed: .* is more than the 4,294,967,295 allowed/],
    ['a desktop-style record', (t) => { t.hyperparameters = { architecture: '784-8-10', lr: 0.001 }; }, /unknown setting 'architecture'/],
  ];
  it.concurrent.each(lies)('a checkpoint recording %s is refused in seconds with exit 1, nothing written', async (_name, edit, message) => {
    const dir = await tempDir('resume-lie');
    const file = join(dir, 'lie.safetensors');
    await withTraining(resumable, file, edit);
    const before = await sha(file);
    const started = performance.now();
    const child = cli([cliBin, 'train', '--resume', file], dir, 30_000);
    const exit = await child.exited;
    expect(child.timedOut(), 'still running after 30 s').toBe(false);
    expect(exit.code, child.stderr()).toBe(1);
    expect(child.stderr()).toMatch(/^error: cannot resume '.*lie\.safetensors': /);
    expect(child.stderr()).toMatch(message);
    noStack(child.stderr());
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(await sha(file)).toBe(before);
    expect(await readdir(dir)).toEqual(['lie.safetensors']);
  });
});

describe.skipIf(!cliReady)('3. two runs on one --out', () => {
  it('the second stops with a clear error (exit 1) while the first runs; a stale lock is taken over', async () => {
    const dir = await tempDir('lock');
    const out = join(dir, 'm.safetensors');
    const first = cli(train(out, 200, '--json'), dir);
    await first.waitForLine(/"event":"epoch","epoch":1,/);
    const second = cli(train(out, 1), dir);
    const secondExit = await second.exited;
    first.process.kill('SIGINT');
    expect((await first.exited).code, first.stderr()).toBe(130);
    expect(secondExit.code, second.stderr()).toBe(1);
    expect(second.stderr()).toMatch(/^error: .*m\.safetensors is being written by another scratchnet-cli train \(process \d+/);
    expect(second.lines.join('\n')).not.toMatch(/saved/);
    expect(existsSync(`${out}.lock`), 'the first run released its lock').toBe(false);

    // A lock left by a run that died (SIGKILL): its process is gone, so the next run takes it over.
    const killed = cli(train(out, 200, '--json'), dir);
    await killed.waitForLine(/"event":"epoch","epoch":1,/);
    killed.process.kill('SIGKILL');
    await killed.exited;
    expect(existsSync(`${out}.lock`)).toBe(true);
    const after = cli(train(out, 1), dir);
    expect((await after.exited).code, after.stderr()).toBe(0);
    expect(existsSync(`${out}.lock`)).toBe(false);
  });
});

describe.skipIf(!cliReady)('4. side files', () => {
  // A non-atomic write truncates and refills the same file, so a reader holding it open sees it
  // change (or empty); an atomic replace leaves that reader a complete older copy.
  it('the metrics CSV is replaced atomically: a reader holding the old one keeps a complete file', async () => {
    const dir = await tempDir('csv-atomic');
    const out = join(dir, 'm.safetensors');
    const child = cli(train(out, 40, '--json'), dir);
    await child.waitForLine(/"event":"epoch","epoch":2,/);
    const held = await open(join(dir, 'm.metrics.csv'), 'r');
    const first = await held.readFile('utf8');
    expect((await child.exited).code, child.stderr()).toBe(0);
    const again = (await held.read(Buffer.alloc(65536), 0, 65536, 0)).buffer.toString('utf8').replace(/\0+$/, '');
    await held.close();
    expect(first).toMatch(/^epoch,train_loss,.*\n(\d+,.*\n)+$/);
    expect(again, 'the file a reader held changed under it').toBe(first);
    const final = await readFile(join(dir, 'm.metrics.csv'), 'utf8');
    expect(final.trim().split('\n')).toHaveLength(41);
    expect(first.trim().split('\n').length, 'opened before the run ended').toBeLessThan(41);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a CSV write that fails mid-run names the file, exits 1, and leaves no empty CSV or temp file', async () => {
    const dir = await tempDir('csv-fails');
    const out = join(dir, 'm.safetensors');
    const child = cli(train(out, 200, '--json'), dir);
    await child.waitForLine(/"event":"epoch","epoch":2,/);
    // The CSV's name becomes a non-empty folder: no rename can replace it.
    for (let attempt = 0; attempt < 20; attempt++) {
      await rm(join(dir, 'm.metrics.csv'), { force: true });
      // The run may put a new CSV there in between: try again.
      if (await mkdir(join(dir, 'm.metrics.csv', 'keep'), { recursive: true }).then(() => true, () => false)) break;
    }
    const exit = await child.exited;
    expect(exit.code, child.stderr()).toBe(1);
    // A --json run reports its error as one JSON object on stderr.
    expect(JSON.parse(child.stderr()).error.message).toMatch(/^cannot write metrics file .*m\.metrics\.csv: /);
    noStack(child.stderr());
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await readCheckpoint(out)).training!.history.length).toBeGreaterThanOrEqual(2);
  });
});

describe.skipIf(!cliReady)('5. SIGTERM and SIGHUP save like SIGINT', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s after epoch 1: a resumable checkpoint, exit %i, and --resume finishes the run', async (signal, code) => {
    const dir = await tempDir(`signal-${signal}`);
    const out = join(dir, 'm.safetensors');
    // Long enough that the signal lands mid-run, not after the last epoch.
    const child = cli(train(out, 30, '--json'), dir);
    await child.waitForLine(/"event":"epoch","epoch":1,/);
    child.process.kill(signal);
    const exit = await child.exited;
    expect(exit, child.stderr()).toEqual({ code, signal: null });
    const event = child.lines.map((l) => JSON.parse(l)).find((e) => e.event === 'interrupted');
    expect(event).toMatchObject({ signal, checkpoint: out });
    const saved = await readCheckpoint(out);
    expect(saved.trainer, 'a resumable checkpoint').toBeDefined();
    expect(saved.trainer!.epoch).toBeGreaterThanOrEqual(1);
    expect(existsSync(`${out}.lock`)).toBe(false);
    const resumed = cli([cliBin, 'train', '--resume', out, '--json'], dir);
    expect((await resumed.exited).code, resumed.stderr()).toBe(0);
    expect((await readCheckpoint(out)).training!.history).toHaveLength(30);
  });
});

describe.skipIf(!cliReady)('6. --resume with --threads', () => {
  it('applies --threads and does not claim to ignore it', async () => {
    const dir = await tempDir('resume-threads');
    const file = join(dir, 'm.safetensors');
    await copyFile(resumable, file);
    const fresh = cli(train(join(dir, 'probe.safetensors'), 1, '--threads', '2'), dir);
    expect((await fresh.exited).code, fresh.stderr()).toBe(0);
    // The start line is a notice: on stderr.
    const threaded = /backend \(2 threads\)/.test(fresh.stderr());
    const child = cli([cliBin, 'train', '--resume', file, '--threads', '2'], dir, 120_000);
    expect((await child.exited).code, child.stderr()).toBe(0);
    const text = child.stderr();
    expect(text).not.toMatch(/ignoring .*--threads/);
    // Where the backend can run two threads (WASM with shared memory), the resumed run uses them.
    if (threaded) expect(text).toMatch(/backend \(2 threads\)/);
  });
});

/** Control characters a hostile file might carry: OSC 52 clipboard write, clear screen, title, 8-bit CSI, bell. */
const HOSTILE = '\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J\x1b[H\x1b]0;title\x1b\\\x9b31m\x07\r';
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe.skipIf(!cliReady)('7. text from files reaches the terminal without control characters', () => {
  let hostile: string;
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('control');
    hostile = join(dir, 'hostile.safetensors');
    const decoded = decodeCheckpoint(new Uint8Array(await readFile(resumable)));
    const training = structuredClone(decoded.training) as Record<string, any>;
    training.dataset.name = `digits${HOSTILE}`;
    training.dataset.source = `src${HOSTILE}`;
    await writeFile(
      hostile,
      encodeCheckpoint({ ...decoded, classNames: decoded.classNames.map((n) => `${n}${HOSTILE}`), training: training as never }),
    );
    await writeFile(join(dir, 'digit.png'), encodeGreyPng(28, 28, Array.from({ length: 784 }, (_, i) => (i % 28 > 10 && i % 28 < 16 ? 255 : 0))));
  });

  it.each([
    ['info', () => [cliBin, 'info', hostile], /classes {7}0, 1, 2, 3/],
    ['predict', () => [cliBin, 'predict', hostile, join(dir, 'digit.png')], / {2}1\. \d {12}/],
  ] as const)('%s prints the names without escape sequences', async (_name, args, shown) => {
    const child = cli(args(), dir);
    expect((await child.exited).code, child.stderr()).toBe(0);
    const output = child.lines.join('\n') + child.stderr();
    expect(output).toMatch(shown); // the names themselves are still shown
    expect(output).not.toMatch(CONTROL);
  });

  it('an error quoting a key from a --config file strips it too', async () => {
    await writeFile(join(dir, 'evil.json'), JSON.stringify({ [`lr${HOSTILE}`]: 1 }));
    const child = cli(train(join(dir, 'x.safetensors'), 1, '--config', join(dir, 'evil.json')), dir);
    expect((await child.exited).code).toBe(2);
    expect(child.stderr()).toMatch(/^error: --config .*unknown setting 'lr/);
    expect(child.stderr()).not.toMatch(CONTROL);
  });
});

describe.skipIf(!cliReady)('8 and 9. small things, FIFOs and endless files as inputs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('inputs');
    execFileSync('mkfifo', [join(dir, 'config.fifo')]);
    execFileSync('mkfifo', [join(dir, 'model.fifo')]);
    if (isRoot) execFileSync('mknod', [join(dir, 'zero'), 'c', '1', '5']);
    await writeFile(join(dir, 'big.json'), `{"lr": 0.1, "x": "${'a'.repeat(1 << 20)}"}`);
    // A valid model whose 10 inputs are no square image.
    const decoded = decodeCheckpoint(new Uint8Array(await readFile(resumable)));
    await writeFile(
      join(dir, 'flat.safetensors'),
      encodeCheckpoint({
        spec: { inputSize: 10, layers: [{ type: 'dense', inputSize: 10, outputSize: 10 }] },
        tensors: new Map([
          ['0.weight', { shape: [10, 10], data: new Float32Array(100) }],
          ['0.bias', { shape: [10], data: new Float32Array(10) }],
        ]),
        classNames: decoded.classNames,
      }),
    );
    await writeFile(join(dir, 'digit.png'), encodeGreyPng(28, 28, Array.from({ length: 784 }, (_, i) => (i % 28 > 10 && i % 28 < 16 ? 255 : 0))));
  });

  const cases: Array<{ name: string; args: (out: string) => string[]; exit: number; message: RegExp; root?: boolean }> = [
    { name: "--out ''", args: () => train('', 1), exit: 2, message: /--out: '' is not a file name/ },
    { name: '--seed 2^53 + 2', args: (o) => train(o, 1, '--seed', '9007199254740994'), exit: 2, message: /--seed: 9007199254740994 is more than the 4,294,967,295 allowed/ },
    { name: '--seed 2^32 (repeats seed 0 in core)', args: (o) => train(o, 1, '--seed', '4294967296'), exit: 2, message: /--seed: 4294967296 is more than/ },
    { name: '--seed 1.5', args: (o) => train(o, 1, '--seed', '1.5'), exit: 2, message: /--seed: '1.5' is not a whole number/ },
    { name: '--schedule step:0', args: (o) => train(o, 1, '--schedule', 'step:0'), exit: 2, message: /the step size must be a whole number of epochs ≥ 1/ },
    { name: '--config a FIFO', args: (o) => train(o, 1, '--config', join(dir, 'config.fifo')), exit: 1, message: /--config: cannot read .*config\.fifo': it is a FIFO/ },
    { name: '--config /dev/zero (made here)', args: (o) => train(o, 1, '--config', join(dir, 'zero')), exit: 1, message: /--config: cannot read .*zero': it is a character device/, root: true },
    { name: '--config over 1 MB', args: (o) => train(o, 1, '--config', join(dir, 'big.json')), exit: 1, message: /--config: '.*big\.json' is larger than the 1,048,576 bytes allowed/ },
    { name: '--resume a FIFO', args: () => [cliBin, 'train', '--resume', join(dir, 'model.fifo')], exit: 1, message: /model file '.*model\.fifo' is a FIFO/ },
    { name: 'info on /dev/zero (made here)', args: () => [cliBin, 'info', join(dir, 'zero')], exit: 1, message: /model file '.*zero' is a character device/, root: true },
    { name: 'predict with a non-square model', args: () => [cliBin, 'predict', join(dir, 'flat.safetensors'), join(dir, 'digit.png')], exit: 1, message: /takes \[10\], which is not one square greyscale picture/ },
  ];
  it.concurrent.each(cases)('$name → exit $exit within 15 s, one clear line', async ({ args, exit, message, root }) => {
    if (root && !isRoot) return;
    const scratch = await tempDir('inputs-case');
    const started = performance.now();
    const child = cli(args(join(scratch, 'm.safetensors')), scratch, 30_000);
    const result = await child.exited;
    expect(child.timedOut(), 'hung: killed after 30 s').toBe(false);
    expect(result.code, child.stderr()).toBe(exit);
    expect(child.stderr()).toMatch(/^(?:loading [^\n]*\n)*error: /);
    expect(child.stderr()).toMatch(message);
    noStack(child.stderr());
    expect(child.lines.join('\n') + child.stderr()).not.toMatch(/epoch 1\//);
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(await readdir(scratch)).not.toContain('m.safetensors');
  });
});

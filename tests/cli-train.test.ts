import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeCheckpoint } from '@scratchnet/model-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, jsonLines, runCli, startHarness } from './cli-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('scratchnet-cli train → eval', () => {
  it('downloads from the mirror, trains, writes checkpoint + CSV + SVG, and eval prints the same accuracy', async () => {
    const train = await runCli(h, ['train', '--dataset', 'tiny', '--arch', '784-32-5', '--epochs', '3', '--batch-size', '16', '--val-split', '0.1', '--out', 'tiny.safetensors']);
    expect(train.code, train.stderr).toBe(0);
    // Plain lines without a terminal: no control characters at all.
    const control = [...train.stdout, ...train.stderr].filter((c) => c.charCodeAt(0) < 32 && c !== '\n');
    expect(control).toEqual([]);
    // Progress, notices and the chart on stderr; the final figures on stdout.
    expect(train.stderr).toMatch(/epoch 3\/3 +train loss/);
    expect(train.stderr).toContain('convergence');
    expect(train.stdout).not.toContain('epoch');
    expect(train.stdout).toMatch(/^test accuracy [^\n]+\nsaved tiny\.safetensors, [^\n]+\n$/);
    for (const f of ['tiny.safetensors', 'tiny.metrics.csv', 'tiny.loss.svg']) expect(existsSync(join(h.root, f))).toBe(true);
    const csv = readFileSync(join(h.root, 'tiny.metrics.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(4);
    expect(csv[0]).toBe('epoch,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,seconds');
    expect(readFileSync(join(h.root, 'tiny.loss.svg'), 'utf8').match(/<polyline/g)).toHaveLength(2);

    const printed = /test accuracy [\d.]+% \((0\.\d+|1\.0+)\)/.exec(train.stdout)?.[1];
    expect(Number(printed)).toBeGreaterThan(0.8); // the bars are easy
    const evaluation = await runCli(h, ['eval', 'tiny.safetensors']);
    expect(evaluation.code).toBe(0);
    expect(evaluation.stdout).toContain(`(${printed})`);
    expect(evaluation.stdout).toContain('confusion matrix');
    expect(evaluation.stdout).toMatch(/mid-left\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+20/); // per-class row with support 20

    const json = jsonLines((await runCli(h, ['eval', 'tiny.safetensors', '--json'])).stdout)[0];
    expect(json.accuracy).toBeCloseTo(Number(printed), 4);
    expect(json.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(100);

    const info = await runCli(h, ['info', 'tiny.safetensors']);
    expect(info.stdout).toMatch(/parameters +25,285/); // 784·32 + 32 + 32·5 + 5
    expect(info.stdout).toContain('tiny (download)');
  });

  it('--threads 2 splits the large products and gives bit-identical weights; a bad count is exit 2', async () => {
    // 784-300-5 at batch 64: the layer-1 products (64·300·784·2 ≈ 30 MFLOP) are large enough to split.
    const args = ['train', '--dataset', 'tiny', '--arch', '784-300-5', '--epochs', '2', '--batch-size', '64', '--json'];
    const one = await runCli(h, [...args, '--threads', '1', '--out', 't1.safetensors']);
    const two = await runCli(h, [...args, '--threads', '2', '--out', 't2.safetensors']);
    expect(two.stderr).toBe('');
    expect(two.code).toBe(0);
    expect(jsonLines(one.stdout)[0].threads).toBe(1);
    expect(jsonLines(two.stdout)[0].threads).toBe(2);
    const read = (f: string) => decodeCheckpoint(new Uint8Array(readFileSync(join(h.root, f))));
    const [a, b] = [read('t1.safetensors'), read('t2.safetensors')];
    const bytes = (f: Float32Array) => Buffer.from(f.buffer, f.byteOffset, f.byteLength);
    for (const [name, t] of a.tensors) expect(bytes(b.tensors.get(name)!.data).equals(bytes(t.data)), name).toBe(true);

    const bad = await runCli(h, ['train', '--dataset', 'tiny', '--threads', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--threads: '0' is not a whole number ≥ 1; try --threads");
  });

  it('--json prints one event per line: start, an epoch per epoch, done', async () => {
    const run = await runCli(h, ['train', '--dataset', 'tiny', '--arch', '784-8-5', '--epochs', '2', '--json', '--out', 'j.safetensors']);
    expect(run.code).toBe(0);
    const events = jsonLines(run.stdout);
    expect(events.map((e) => e.event)).toEqual(['start', 'epoch', 'epoch', 'done']);
    expect(run.stdout.trim().split('\n').length).toBe(4); // nothing but JSON
    expect(events[3].testAccuracy).toBeGreaterThan(0);
  });

  it('--config supplies settings and flags override them', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(h.root, 'c.json'), JSON.stringify({ dataset: 'tiny', arch: '784-8-5', epochs: 1, lr: 0.5, optimizer: 'sgd' }));
    const run = await runCli(h, ['train', '--config', 'c.json', '--lr', '0.02', '--json', '--out', 'c.safetensors']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const start = jsonLines(run.stdout)[0];
    expect(start.settings).toMatchObject({ arch: '784-8-5', epochs: 1, optimizer: 'sgd', lr: 0.02 });
  });

  it('data list / path / verify / import manage the cache', async () => {
    const list = await runCli(h, ['data', 'list', '--verify']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/tiny\s+4\/4\s+[\d.]+ MB\s+ok/);
    const path = await runCli(h, ['data', 'path', 'tiny']);
    expect(path.stdout.trim()).toBe(join(h.root, 'cache', 'datasets', 'tiny'));
    // Import into a fresh cache from the mirror folder.
    const fresh = { SCRATCHNET_CACHE_DIR: join(h.root, 'cache2') };
    const imported = await runCli(h, ['data', 'import', h.mirrorDir, '--dataset', 'tiny'], { env: fresh });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('tiny is ready in');
    const verify = await runCli(h, ['data', 'verify', 'tiny'], { env: fresh });
    expect(verify.code).toBe(0);
    expect(verify.stdout.match(/ok \(compressed-sha256\)/g)).toHaveLength(4);
  });
});

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

// Dropout, Adam and a cosine schedule: everything whose state must survive the interrupt.
const ARGS = ['--dataset', 'tiny', '--arch', '784-48-5', '--dropout', '0.2', '--optimizer', 'adam', '--schedule', 'cosine', '--epochs', '8', '--batch-size', '4', '--seed', '7', '--json'];

// A plain Uint8Array copy: decodeCheckpoint given a Node Buffer returns wrong tensor views (reported to model-format).
const checkpoint = (name: string) => decodeCheckpoint(new Uint8Array(readFileSync(join(h.root, name))));
/** The metrics CSV without the wall-clock column. */
const metrics = (name: string) =>
  readFileSync(join(h.root, name), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(',').slice(0, -1).join(','));

describe('Ctrl-C and --resume', () => {
  it('SIGINT saves a resumable checkpoint, exits 130, and --resume ends exactly where an uninterrupted run does', async () => {
    const whole = await runCli(h, ['train', ...ARGS, '--out', 'whole.safetensors']);
    expect(whole.code).toBe(0);

    let sent = false;
    const cut = await runCli(h, ['train', ...ARGS, '--out', 'cut.safetensors'], {
      onStdout: (chunk, child) => {
        if (!sent && chunk.includes('"event":"epoch"')) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(cut.code).toBe(130);
    const interrupted = jsonLines(cut.stdout).find((e) => e.event === 'interrupted');
    expect(interrupted).toBeDefined();
    expect(jsonLines(cut.stdout).some((e) => e.event === 'done')).toBe(false);
    const saved = checkpoint('cut.safetensors');
    expect(saved.trainer).toBeDefined(); // optimizer + trainer state inside
    expect(saved.trainer!.epoch).toBeLessThan(8);

    const info = await runCli(h, ['info', 'cut.safetensors']);
    expect(info.stdout).toContain('unfinished: resumable with --resume');

    const resumed = await runCli(h, ['train', '--resume', 'cut.safetensors', '--json']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const a = jsonLines(whole.stdout).find((e) => e.event === 'done')!;
    const b = jsonLines(resumed.stdout).find((e) => e.event === 'done')!;
    expect(b.testAccuracy).toBe(a.testAccuracy);
    expect(b.testLoss).toBe(a.testLoss);

    // Bit-identical weights and the same per-epoch history.
    const wa = checkpoint('whole.safetensors');
    const wb = checkpoint('cut.safetensors');
    expect([...wb.tensors.keys()]).toEqual([...wa.tensors.keys()]);
    const bytes = (f: Float32Array) => Buffer.from(f.buffer, f.byteOffset, f.byteLength);
    for (const [name, t] of wa.tensors) expect(bytes(wb.tensors.get(name)!.data).equals(bytes(t.data)), name).toBe(true);
    expect(wb.trainer).toBeUndefined(); // finished: nothing left to resume
    expect(metrics('cut.metrics.csv')).toEqual(metrics('whole.metrics.csv'));
    expect(existsSync(join(h.root, 'cut.loss.svg'))).toBe(true);
  });

  it('refuses to resume a finished model (exit 1, says what to do)', async () => {
    const run = await runCli(h, ['train', '--resume', 'whole.safetensors']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/holds no training state to resume/);
    expect(run.stderr).toContain('scratchnet-cli train');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeCheckpoint } from '@scratchnet/model-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, jsonLines, runCli, startHarness } from './cli-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ train: 600 });
});
afterAll(() => h?.close());

const CNN = '1x28x28-conv(4,5)-relu-maxpool(4)-flatten-5';
const ARGS = ['--dataset', 'tiny', '--arch', CNN, '--augment', 'rotate=10,shift=2', '--train-limit', '500', '--batch-size', '25', '--seed', '3', '--json'];
const checkpoint = (name: string) => decodeCheckpoint(new Uint8Array(readFileSync(join(h.root, name))));
const bytes = (f: Float32Array) => Buffer.from(f.buffer, f.byteOffset, f.byteLength);

describe('train --augment', () => {
  it('trains a small CNN with augmentation and records the spec in the checkpoint', async () => {
    const run = await runCli(h, ['train', ...ARGS, '--epochs', '1', '--out', 'one.safetensors']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const start = jsonLines(run.stdout).find((e) => e.event === 'start')!;
    expect(start.settings.augment).toBe('rotate=10,shift=2');
    expect(start.data.train).toBe(500);
    expect(checkpoint('one.safetensors').training!.hyperparameters.augment).toBe('rotate=10,shift=2');
  });

  it('a bad spec fails before the data loads, naming the closest key', async () => {
    const run = await runCli(h, ['train', '--dataset', 'tiny', '--arch', CNN, '--augment', 'rotat=10']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--augment: unknown augmentation 'rotat'; did you mean 'rotate'?");
    expect(run.stdout).not.toContain('loading');
  });

  it('an interrupted run resumed with --resume ends bit-identical to an uninterrupted one', async () => {
    const whole = await runCli(h, ['train', ...ARGS, '--epochs', '3', '--out', 'whole.safetensors']);
    expect(whole.code).toBe(0);
    let sent = false;
    const cut = await runCli(h, ['train', ...ARGS, '--epochs', '3', '--out', 'cut.safetensors'], {
      onStdout: (chunk, child) => {
        if (!sent && chunk.includes('"event":"epoch"')) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(cut.code).toBe(130);
    const stopped = checkpoint('cut.safetensors').trainer!;
    expect(stopped.epoch).toBeLessThan(3);
    expect(stopped.epoch * 18 + stopped.batch).toBeGreaterThan(0);

    const resumed = await runCli(h, ['train', '--resume', 'cut.safetensors', '--json']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(jsonLines(resumed.stdout).find((e) => e.event === 'start')!.settings.augment).toBe('rotate=10,shift=2');
    const a = checkpoint('whole.safetensors');
    const b = checkpoint('cut.safetensors');
    for (const [name, t] of a.tensors) expect(bytes(b.tensors.get(name)!.data).equals(bytes(t.data)), name).toBe(true);
    expect(b.training!.hyperparameters.augment).toBe('rotate=10,shift=2');
    expect(b.training!.finalMetrics.test_accuracy).toBe(a.training!.finalMetrics.test_accuracy);
    // and augmentation did change the training: the same run without it ends elsewhere
    const plain = await runCli(h, ['train', ...ARGS, '--augment', 'off', '--epochs', '3', '--out', 'plain.safetensors']);
    expect(plain.code).toBe(0);
    const c = checkpoint('plain.safetensors');
    expect([...a.tensors].some(([name, t]) => !bytes(c.tensors.get(name)!.data).equals(bytes(t.data)))).toBe(true);
  });
});

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCheckpoint } from '@scratchnet/model-format/node';
import { describe, expect, it } from 'vitest';
import { startNode } from './reliability/helpers/child-process.js';
import { cliBin, tempDir } from './reliability/helpers/paths.js';
import { scaled } from './reliability/helpers/scale.js';
import { differingTensors } from './reliability/helpers/weights.js';

/**
 * Exact resume through the built CLI, as a user does it: `scratchnet-cli train` for N epochs
 * straight, versus the same command stopped with SIGINT after N/2 epochs (it must save a
 * resumable checkpoint and exit 130) and continued with `--resume`. The final checkpoints must
 * hold bit-identical weights and the same per-epoch history (wall-clock seconds aside) and test
 * metrics. Uses the offline digits, so no network is needed.
 */
const EPOCHS = scaled('RELIABILITY_CLI_RESUME_EPOCHS', 6, 20);
const cliReady = existsSync(join(cliBin, '..', '..', 'dist', 'cli.js'));

const trainArgs = (out: string) => [
  cliBin,
  'train',
  '--dataset',
  'digits',
  '--train-limit',
  '480',
  '--arch',
  '784-24-10',
  '--dropout',
  '0.2',
  '--optimizer',
  'adam',
  '--lr',
  '0.003',
  '--schedule',
  'cosine',
  '--batch-size',
  '16',
  '--epochs',
  String(EPOCHS),
  '--seed',
  '7',
  '--out',
  out,
  '--json',
];

describe.skipIf(!cliReady)('scratchnet-cli train: SIGINT, then --resume', () => {
  it(`${EPOCHS} epochs straight equal ${EPOCHS / 2} + SIGINT + resume, bit for bit`, async () => {
    const dir = await tempDir('cli-resume');
    const straightPath = join(dir, 'straight.safetensors');
    const resumedPath = join(dir, 'resumed.safetensors');

    const straight = startNode(trainArgs(straightPath));
    const straightExit = await straight.exited;
    expect(straightExit.code, straight.stderr()).toBe(0);

    const first = startNode(trainArgs(resumedPath));
    await first.waitForLine(new RegExp(`^\\{"event":"epoch","epoch":${EPOCHS / 2},`), 120_000);
    first.process.kill('SIGINT');
    const firstExit = await first.exited;
    expect(firstExit.code, first.stderr()).toBe(130);
    const interrupted = first.lines.map((line) => JSON.parse(line)).find((event) => event.event === 'interrupted');
    expect(interrupted, first.lines.join('\n')).toBeDefined();
    console.log(`[reliability] cli-resume: SIGINT saved at epoch ${interrupted.epoch}, batch ${interrupted.batch} of a ${EPOCHS}-epoch run`);
    const saved = await readCheckpoint(resumedPath);
    expect(saved.trainer).toBeDefined();
    expect(saved.trainer!.epoch).toBeGreaterThanOrEqual(EPOCHS / 2);
    expect(saved.trainer!.epoch).toBeLessThan(EPOCHS);

    const second = startNode([cliBin, 'train', '--resume', resumedPath, '--json']);
    const secondExit = await second.exited;
    expect(secondExit.code, second.stderr()).toBe(0);

    const a = await readCheckpoint(straightPath);
    const b = await readCheckpoint(resumedPath);
    expect(differingTensors(a.tensors, b.tensors)).toEqual([]);
    const withoutTime = (rows: Array<Record<string, unknown>>) => rows.map(({ seconds: _seconds, ...rest }) => rest);
    expect(withoutTime(b.training!.history)).toEqual(withoutTime(a.training!.history));
    expect(b.training!.history).toHaveLength(EPOCHS);
    expect(b.training!.finalMetrics.test_accuracy).toBe(a.training!.finalMetrics.test_accuracy);
    expect(b.training!.finalMetrics.test_loss).toBe(a.training!.finalMetrics.test_loss);
  });

  it('a second SIGINT gives up at once with 130 and still leaves a loadable checkpoint', async () => {
    const dir = await tempDir('cli-double-sigint');
    const path = join(dir, 'model.safetensors');
    const child = startNode(trainArgs(path));
    await child.waitForLine(/^\{"event":"epoch","epoch":1,/, 120_000);
    child.process.kill('SIGINT');
    child.process.kill('SIGINT');
    const exit = await child.exited;
    expect(exit.code, child.stderr()).toBe(130);
    // Whatever save the second Ctrl-C cut short, the file on disk is a complete one.
    const saved = await readCheckpoint(path);
    expect(saved.trainer!.epoch).toBeGreaterThanOrEqual(1);
    expect(saved.training!.history.length).toBeGreaterThanOrEqual(1);
  });
});

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCheckpoint } from '@scratchnet/model-format/node';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom, sleep, startNode } from './reliability/helpers/child-process.js';
import { cliBin, tempDir } from './reliability/helpers/paths.js';
import { scaled } from './reliability/helpers/scale.js';
import { differingTensors } from './reliability/helpers/weights.js';

/**
 * Hours of training are never lost, end to end through the built CLI: `scratchnet-cli train` is
 * SIGKILLed at random moments, and each time continued with `--resume` from whatever it left.
 * After every kill the checkpoint loads and its epoch never goes backwards; once the run is
 * allowed to finish, the result is bit-identical to the same command run straight through.
 */
const KILLS = scaled('RELIABILITY_CLI_KILLS', 8, 40);
const EPOCHS = 12;
const SEED = Number(process.env.RELIABILITY_SEED ?? 20261122);
const cliReady = existsSync(join(cliBin, '..', '..', 'dist', 'cli.js'));

const trainArgs = (out: string) =>
  ['train', '--dataset', 'digits', '--train-limit', '3000', '--arch', '784-64-10', '--optimizer', 'adam', '--batch-size', '32']
    .concat(['--epochs', String(EPOCHS), '--seed', '3', '--out', out]);

const stats = { kills: 0, trainingMs: 0, epochsOnDisk: [] as number[] };
afterAll(() => {
  console.log(`[reliability] kill-cli: ${JSON.stringify({ ...stats, seed: SEED })}`);
});

describe.skipIf(!cliReady)('scratchnet-cli train killed with SIGKILL and resumed', () => {
  it(`${KILLS} kills, each followed by --resume, end bit-identical to a straight run`, async () => {
    const dir = await tempDir('kill-cli');
    const straightPath = join(dir, 'straight.safetensors');
    const path = join(dir, 'killed.safetensors');
    const straight = startNode([cliBin, ...trainArgs(straightPath), '--json']);
    await straight.waitForLine(/"event":"start"/, 60_000);
    const trainingStarted = Date.now();
    await straight.waitForLine(/"event":"epoch"/, 60_000);
    const firstEpochMs = Date.now() - trainingStarted;
    expect((await straight.exited).code, straight.stderr()).toBe(0);
    // Kill delays are a share of how long training takes on this machine, so the kills spread
    // over the run whatever the machine's speed (with 8 kills, about three quarters of it).
    stats.trainingMs = Date.now() - trainingStarted;
    const maxDelay = (1.5 * stats.trainingMs) / Math.min(KILLS, 8);
    // A fresh run has to reach its first checkpoint before a kill can leave one. When epochs are
    // short next to a process's start-up (the first epoch also warms the code up), the delays
    // above can all fall before it: fresh runs draw from at least three first-epoch times.
    const maxFreshDelay = Math.max(maxDelay, 3 * firstEpochMs);

    const random = seededRandom(SEED);
    let lastEpoch = 0;
    for (let cycle = 0; cycle < KILLS; cycle++) {
      const fresh = !existsSync(path);
      const args = fresh ? trainArgs(path) : ['train', '--resume', path];
      const child = startNode([cliBin, ...args, '--json']);
      // Past start-up (data loaded, model built), then anywhere in training and saving.
      await child.waitForLine(/"event":"start"/, 60_000);
      await sleep(random() * (fresh ? maxFreshDelay : maxDelay));
      child.process.kill('SIGKILL');
      const exit = await child.exited;
      if (exit.signal !== 'SIGKILL') {
        expect(exit.code, child.stderr()).toBe(0);
        break; // it finished first: nothing left to resume
      }
      stats.kills++;
      if (!existsSync(path)) continue;
      const checkpoint = await readCheckpoint(path); // throws on a torn file
      const epoch = checkpoint.trainer?.epoch ?? EPOCHS;
      expect(epoch, `cycle ${cycle}`).toBeGreaterThanOrEqual(lastEpoch);
      expect(checkpoint.training!.history).toHaveLength(epoch);
      lastEpoch = epoch;
      stats.epochsOnDisk.push(epoch);
      if (!checkpoint.trainer) break; // the final, finished model is on disk
    }

    // Most cycles must have been real kills, or the test proved little.
    expect(stats.kills).toBeGreaterThanOrEqual(Math.min(KILLS, 3));
    expect(stats.epochsOnDisk.length, 'no kill left a mid-run checkpoint to resume from').toBeGreaterThan(0);
    const unfinished = existsSync(path) ? (await readCheckpoint(path)).trainer : true;
    if (unfinished) {
      const args = existsSync(path) ? ['train', '--resume', path] : trainArgs(path);
      const last = startNode([cliBin, ...args]);
      expect((await last.exited).code, last.stderr()).toBe(0);
    }
    const a = await readCheckpoint(straightPath);
    const b = await readCheckpoint(path);
    expect(differingTensors(a.tensors, b.tensors)).toEqual([]);
    const withoutTime = (rows: Array<Record<string, unknown>>) => rows.map(({ seconds: _seconds, ...rest }) => rest);
    expect(withoutTime(b.training!.history)).toEqual(withoutTime(a.training!.history));
    expect(b.training!.finalMetrics.test_accuracy).toBe(a.training!.finalMetrics.test_accuracy);
  });
});

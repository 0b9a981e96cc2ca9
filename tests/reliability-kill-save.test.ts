import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fit } from '@scratchnet/core';
import { readCheckpoint } from '@scratchnet/model-format/node';
import { afterAll, describe, expect, it } from 'vitest';
import { TASKS, buildTaskModel, syntheticDataset } from './reliability/children/training-setup.mjs';
import { seededRandom, sleep, startNode, type WatchedChild } from './reliability/helpers/child-process.js';
import { childScript, tempDir } from './reliability/helpers/paths.js';
import { scaled } from './reliability/helpers/scale.js';

/**
 * Kill -9 during save. A child trains and saves a checkpoint after every epoch (core `fit` +
 * model-format `saveCheckpoint`, which writes a temp file, fsyncs and renames); each cycle the
 * next child resumes from whatever the last one left on disk, and is SIGKILLed at a random
 * moment. After every kill the file must load (SHA-256 and all metadata checked) and be the last
 * complete save: the epoch it records equals the last one the child reported saved, or the one
 * whose save was in flight. At the end, the chain of crashed-and-resumed runs must hold exactly
 * the weights of an uninterrupted run of the same length.
 *
 * `RELIABILITY_BREAK=non-atomic-save` swaps in a naive in-place writer to see this test fail.
 */
const KILLS = scaled('RELIABILITY_KILLS', 50, 500);
/** Upper end of the random delay between "go" and SIGKILL; the first epoch and save take ~400 ms in a fresh process, later ones ~40 ms each. */
const MAX_DELAY_MS = 600;
const SEED = Number(process.env.RELIABILITY_SEED ?? 20261122);
const mode = process.env.RELIABILITY_BREAK === 'non-atomic-save' ? 'unsafe' : 'atomic';

interface CycleResult {
  resumedAt: number;
  lastSaved: number;
  inFlight: number | null;
  onDisk: number | null;
}

const stats = { kills: 0, midSave: 0, finishedSaves: 0, maxEpoch: 0, leftoverTempFiles: 0 };
afterAll(() => {
  console.log(`[reliability] kill-save: ${JSON.stringify({ ...stats, mode, seed: SEED })}`);
});

describe('SIGKILL during checkpoint saves', () => {
  it(`leaves a loadable, last-complete checkpoint after each of ${KILLS} random kills`, async () => {
    const dir = await tempDir('kill-save');
    const path = join(dir, 'model.safetensors');
    const random = seededRandom(SEED);
    const spawnChild = () => startNode([childScript('train-and-save.mjs'), path, mode], { stdin: true });
    let next: WatchedChild = spawnChild();
    let expectedEpoch = 0;

    for (let cycle = 0; cycle < KILLS; cycle++) {
      const child = next;
      await child.waitForLine(/^ready$/);
      // Warm the next child up while this one runs; it does not touch the file until told to.
      next = spawnChild();
      child.process.stdin!.write('go\n');
      const resumed = Number((await child.waitForLine(/^resumed \d+$/)).split(' ')[1]);
      await sleep(random() * MAX_DELAY_MS);
      child.process.kill('SIGKILL');
      const exit = await child.exited;
      expect(exit.signal, `cycle ${cycle}: ${child.stderr()}`).toBe('SIGKILL');

      const result = await inspect(child, resumed, path);
      stats.kills++;
      if (result.inFlight !== null) stats.midSave++;
      stats.finishedSaves += result.lastSaved - resumed;
      // Each child resumes from exactly what the previous one left.
      expect(result.resumedAt, `cycle ${cycle}`).toBe(expectedEpoch);
      const acceptable = [result.lastSaved, ...(result.inFlight === null ? [] : [result.inFlight])];
      // No file counts as epoch 0, which is only right while nothing was ever saved.
      expect(acceptable, `cycle ${cycle}: file holds epoch ${result.onDisk}`).toContain(result.onDisk ?? 0);
      expectedEpoch = result.onDisk ?? 0;
      stats.maxEpoch = expectedEpoch;
    }
    next.process.kill('SIGKILL');
    await next.exited;
    stats.leftoverTempFiles = (await readdir(dir)).filter((name) => name.endsWith('.tmp')).length;

    // Some kills must have hit a save in progress, or the test proved little.
    expect(stats.midSave).toBeGreaterThanOrEqual(Math.min(5, Math.floor(KILLS / 10)));
    expect(expectedEpoch).toBeGreaterThan(0);

    // The crashed-and-resumed chain equals one uninterrupted run, bit for bit.
    const final = await readCheckpoint(path);
    const task = TASKS['kill-save'];
    const model = buildTaskModel(task);
    // The schedule is constant, so the epoch budget (1e6 in the child) does not change any step.
    const history = await fit(model, syntheticDataset(task.data), { ...task.fit, epochs: expectedEpoch });
    for (const [name, tensor] of model.stateDict()) {
      expect(Buffer.from(final.tensors.get(name)!.data.buffer).equals(Buffer.from(tensor.data.buffer)), `${name} differs`).toBe(true);
    }
    expect(final.training!.history.map((row) => row.loss)).toEqual(history.epochs.map((row) => row.loss));
  });
});

/** Reads what the child reported and what the file on disk holds. */
async function inspect(child: WatchedChild, resumedAt: number, path: string): Promise<CycleResult> {
  let lastSaved = resumedAt;
  let inFlight: number | null = null;
  for (const line of child.lines) {
    const [word, value] = line.split(' ');
    if (word === 'saving') inFlight = Number(value);
    if (word === 'saved') {
      lastSaved = Number(value);
      inFlight = null;
    }
  }
  let onDisk: number | null = null;
  if (existsSync(path)) {
    // Throws a FormatError (failing the test) for a torn, truncated or mixed file.
    const checkpoint = await readCheckpoint(path);
    onDisk = checkpoint.trainer!.epoch;
    expect(checkpoint.training!.epochs).toBe(onDisk);
    expect(checkpoint.training!.history).toHaveLength(onDisk);
  }
  return { resumedAt, lastSaved, inFlight, onDisk };
}

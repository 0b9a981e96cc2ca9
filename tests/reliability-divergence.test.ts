import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, TrainingError, fit } from '@scratchnet/core';
import { readCheckpoint, saveCheckpoint } from '@scratchnet/model-format/node';
import { describe, expect, it } from 'vitest';
import { TASKS, buildTaskModel, classNamesOf, syntheticDataset } from './reliability/children/training-setup.mjs';
import { startNode } from './reliability/helpers/child-process.js';
import { cliBin, tempDir } from './reliability/helpers/paths.js';
import { differingTensors } from './reliability/helpers/weights.js';

/**
 * Numerical trouble: after two good epochs the learning rate jumps a million-fold (a step
 * schedule with gamma 1e6; 1e12 for the CLI's digits, where dead ReLUs otherwise keep the loss
 * finite), so training diverges in the third epoch. Training must stop with a
 * NON_FINITE_LOSS TrainingError whose message says what to do, and the checkpoint saved after the
 * last good epoch must be left exactly as it was (same bytes, loads, finite weights); the model
 * itself is put back to the weights of that checkpoint.
 */
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const task = TASKS.resume;
const train = syntheticDataset(task.data);

describe('a diverging learning rate', () => {
  it('library: fit stops with NON_FINITE_LOSS and the last good checkpoint is untouched', async () => {
    const dir = await tempDir('diverge');
    const path = join(dir, 'model.safetensors');
    const model = buildTaskModel(task);
    const saved: Array<{ epochs: number; hash: string }> = [];
    const error = await fit(model, train, {
      ...task.fit,
      optimizer: { type: 'sgd', lr: 0.05 },
      schedule: { type: 'step', stepSize: 2, gamma: 1e6 },
      epochs: 10,
      callbacks: {
        async onEpochEnd(info) {
          const trainer = info.trainerState();
          await saveCheckpoint(path, { model, classNames: classNamesOf(task), optimizer: trainer.optimizer, trainer });
          saved.push({ epochs: trainer.epoch, hash: sha(await readFile(path)) });
        },
      },
    }).catch((e) => e);

    expect(error).toBeInstanceOf(TrainingError);
    expect(error.code).toBe(ErrorCode.NON_FINITE_LOSS);
    expect(error.message).toMatch(/epoch 3/);
    expect(error.message).toMatch(/lower learning rate/);
    expect(saved.map((s) => s.epochs)).toEqual([1, 2]);

    const bytes = await readFile(path);
    expect(sha(bytes)).toBe(saved[1].hash);
    const checkpoint = await readCheckpoint(path);
    expect(checkpoint.trainer!.epoch).toBe(2);
    for (const tensor of checkpoint.tensors.values()) expect(tensor.data.every(Number.isFinite)).toBe(true);
    // fit put the weights back as they were at the start of the failing epoch = the checkpoint.
    expect(differingTensors(model.stateDict(), checkpoint.tensors)).toEqual([]);
  });

  it.skipIf(!existsSync(cliBin))('CLI: exits 1 with a clear message and keeps the epoch-2 checkpoint', async () => {
    const dir = await tempDir('diverge-cli');
    const out = join(dir, 'model.safetensors');
    const child = startNode([
      cliBin,
      'train',
      '--dataset',
      'digits',
      '--train-limit',
      '400',
      '--arch',
      '784-32-10',
      '--optimizer',
      'sgd',
      '--lr',
      '0.05',
      '--schedule',
      'step:2:1e12',
      '--epochs',
      '6',
      '--out',
      out,
    ]);
    const exit = await child.exited;
    const stderr = child.stderr();
    expect(exit.code, `stdout: ${child.lines.join('\n')}\nstderr: ${stderr}`).toBe(1);
    expect(stderr).toMatch(/loss became (NaN|Infinity|-Infinity)/);
    expect(stderr).toMatch(/lower --lr|lower learning rate/);
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
    const checkpoint = await readCheckpoint(out);
    expect(checkpoint.training!.history).toHaveLength(2);
    expect(checkpoint.trainer!.epoch).toBe(2);
    for (const tensor of checkpoint.tensors.values()) expect(tensor.data.every(Number.isFinite)).toBe(true);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor, dense, predict, relu, sequential } from '@scratchnet/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '../src/index.js';
import { loadModel, saveModel } from '../src/node.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scratchnet-save-model-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('saveModel / loadModel (the "./node" entry)', () => {
  it('round-trips a hand-built model: same predictions, default class names one per output', async () => {
    const model = sequential(dense(4, 8), relu(), dense(8, 3));
    const path = join(dir, 'model.safetensors');
    await saveModel(path, model);
    const loaded = await loadModel(path);
    expect(loaded.classNames).toEqual(['0', '1', '2']);
    expect(loaded.model.training).toBe(false);
    const x = new Tensor([1, 4], Float32Array.of(0.5, -1, 2, 0.25));
    expect([...predict(loaded.model, x).data]).toEqual([...predict(model, x).data]);
  });

  it('keeps the extras given (class names, training record)', async () => {
    const model = sequential(dense(2, 2));
    const path = join(dir, 'named.safetensors');
    const training = { dataset: { name: 'xor' }, hyperparameters: { optimizer: 'adam' as const, lr: 0.1 }, seed: 1, epochs: 1, finalMetrics: {}, history: [{ epoch: 0, loss: 0.5, accuracy: 0.75 }] };
    await saveModel(path, model, { classNames: ['no', 'yes'], training });
    const loaded = await loadModel(path);
    expect(loaded.classNames).toEqual(['no', 'yes']);
    expect(loaded.training).toEqual(training);
  });

  it('refuses what is not a checkpoint with a FormatError', async () => {
    const path = join(dir, 'notes.txt');
    await writeFile(path, 'not a checkpoint');
    await expect(loadModel(path)).rejects.toBeInstanceOf(FormatError);
    await expect(saveModel(join(dir, 'bad.safetensors'), sequential(dense(2, 2)), { classNames: ['one'] })).rejects.toThrow(/classNames has 1 names but the model has 2 outputs/);
  });
});

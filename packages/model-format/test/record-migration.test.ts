import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatError, decodeCheckpoint, encodeCheckpoint, readSafetensors, storedEpochRecord } from '../src/index.js';
import { smallContents } from './helpers.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/record-v3-${name}.safetensors`, import.meta.url)));

describe('v3 → v4: one training record for every writer', () => {
  it("the CLI's 1-based trainLoss/trainAccuracy rows become core's 0-based EpochRecord rows", () => {
    const bytes = fixture('cli');
    expect(readSafetensors(bytes).metadata.format_version).toBe('3');
    const { training, formatVersion } = decodeCheckpoint(bytes);
    expect(formatVersion).toBe(3);
    expect(training!.history).toEqual([
      { epoch: 0, loss: 0.69, accuracy: 0.5, valLoss: 0.6, valAccuracy: 0.7, learningRate: 0.001, seconds: 1.5 },
      { epoch: 1, loss: 0.41, accuracy: 0.8125, valLoss: 0.45, valAccuracy: 0.8, learningRate: 0.001, seconds: 1.25 },
      { epoch: 2, loss: 0.25, accuracy: 0.9375, valLoss: null, valAccuracy: null, learningRate: 0.001, seconds: 1 },
    ]);
    expect(training!.hyperparameters).toMatchObject({ arch: '784-16-16-10', optimizer: 'adam', loss: 'ce', lr: 0.001, epochs: 10 });
  });

  it("the desktop's rows keep their numbers; its hyperparameters take the CLI's names", () => {
    const { training } = decodeCheckpoint(fixture('desktop'));
    expect(training!.history.map((r) => r.epoch)).toEqual([0, 1, 2]);
    expect(training!.history[1]).toEqual({ epoch: 1, loss: 0.41, accuracy: 0.8125, valLoss: 0.45, valAccuracy: 0.8, learningRate: 0.003 });
    expect(training!.hyperparameters).toEqual({ arch: '784-16-16-10', activations: 'relu', dropout: 0, optimizer: 'adam', lr: 0.003, batchSize: 32, loss: 'ce' });
  });

  it("tune's empty history stays empty (nothing to recover) and still loads", () => {
    const { training } = decodeCheckpoint(fixture('tune'));
    expect(training!.history).toEqual([]);
    expect(training!.epochs).toBe(3);
    expect(training!.finalMetrics.test_accuracy).toBe(0.94);
  });

  it('a migrated record re-encodes as v4 unchanged', () => {
    for (const name of ['cli', 'desktop', 'tune']) {
      const decoded = decodeCheckpoint(fixture(name));
      const again = decodeCheckpoint(encodeCheckpoint(decoded));
      expect(again.formatVersion).toBe(4);
      expect(again.training).toEqual(decoded.training);
    }
  });
});

describe('the v4 record refuses the old layouts when written new', () => {
  const refuse = (history: unknown[]) => () => encodeCheckpoint({ ...smallContents(), training: { ...smallContents().training!, history: history as never } });

  it('rows out of order, 1-based, or with old names are INVALID_INPUT naming the field', () => {
    expect(refuse([{ epoch: 1, loss: 1, accuracy: 0 }])).toThrow(/rows are epochs 0, 1, 2/);
    expect(refuse([{ epoch: 0, trainLoss: 1, trainAccuracy: 0 }])).toThrow(FormatError);
    expect(refuse([{ epoch: 0, loss: 1, accuracy: 0, bogus: 1 }])).toThrow(/bogus/);
  });

  it("storedEpochRecord turns core's EpochRecord into a row (NaN → null, seconds optional)", () => {
    expect(storedEpochRecord({ epoch: 0, loss: Number.NaN, accuracy: 0.5, learningRate: 0.1 })).toEqual({ epoch: 0, loss: null, accuracy: 0.5, learningRate: 0.1 });
    expect(storedEpochRecord({ epoch: 2, loss: 1, accuracy: 0.5, valLoss: 2, valAccuracy: 0.25, learningRate: 0.1 }, 3)).toEqual({
      epoch: 2,
      loss: 1,
      accuracy: 0.5,
      valLoss: 2,
      valAccuracy: 0.25,
      learningRate: 0.1,
      seconds: 3,
    });
  });
});

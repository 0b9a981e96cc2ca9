import { describe, expect, it } from 'vitest';
import { checkTrainConfig } from '../../src/renderer/src/train/config-check.js';
import { PRESETS } from '../../src/renderer/src/train/presets.js';
import type { TrainConfig } from '../../src/renderer/src/training/worker-protocol.js';

const base: TrainConfig = PRESETS[1].config;

describe('checking the Train form before a run starts', () => {
  it('accepts every preset', () => {
    for (const preset of PRESETS) expect(checkTrainConfig(preset.config), preset.id).toEqual([]);
  });

  it.each<[string, Partial<TrainConfig>, RegExp]>([
    ['a learning rate of NaN (an empty field)', { learningRate: Number.NaN }, /Learning rate/],
    ['a zero learning rate', { learningRate: 0 }, /Learning rate/],
    ['a negative learning rate', { learningRate: -0.01 }, /Learning rate/],
    ['a fractional batch size', { batchSize: 12.5 }, /Batch size/],
    ['an absurd batch size', { batchSize: 1e9 }, /Batch size/],
    ['zero epochs', { epochs: 0 }, /Epochs/],
    ['dropout of 1', { dropout: 1 }, /Dropout/],
    ['a negative seed', { seed: -1 }, /Seed/],
    ['a layer of size zero', { architecture: '784-0-10' }, /0/],
    ['letters in the layers', { architecture: '784-abc-10' }, /abc/],
    ['the wrong input size', { architecture: '100-16-10' }, /start with 784/],
    ['the wrong number of outputs', { architecture: '784-16-3' }, /end with 10/],
    ['an unknown activation', { activations: 'swish' }, /swish/],
    ['too many activations for the layers', { activations: 'relu,selu,tanh' }, /./],
    ['a schedule from a checkpoint that does not parse', { schedule: 'step:0' }, /whole number of epochs ≥ 1/],
    ['an unknown loss', { loss: 'hinge' as never }, /Loss must be one of ce, mse, bce/],
    ['no validation images', { valSplit: 0 }, /validation fraction/],
  ])('refuses %s with a message saying what to fix', (_label, change, message) => {
    const problems = checkTrainConfig({ ...base, ...change });
    expect(problems.length).toBeGreaterThanOrEqual(1);
    expect(problems.join('\n')).toMatch(message);
  });

  it('lists every problem at once', () => {
    expect(checkTrainConfig({ ...base, learningRate: Number.NaN, batchSize: 0, epochs: -1 })).toHaveLength(3);
  });
});

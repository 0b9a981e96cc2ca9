import { RUN_SETTING_RULES } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { checkTrainConfig, formValues, readForm, readThreads } from '../../src/renderer/src/train/config-check.js';
import { PRESETS } from '../../src/renderer/src/train/presets.js';
import type { TrainConfig } from '../../src/renderer/src/training/worker-protocol.js';

const base: TrainConfig = PRESETS[1].config;

describe('checking the Train form before a run starts', () => {
  it('accepts every preset', () => {
    for (const preset of PRESETS) expect(checkTrainConfig(preset.config), preset.id).toEqual([]);
  });

  it.each<[string, Partial<TrainConfig>, RegExp]>([
    ['a learning rate of NaN', { learningRate: Number.NaN }, /^--lr: 'NaN' is not a positive number; try --lr 0.001$/],
    ['a zero learning rate', { learningRate: 0 }, /--lr: '0'/],
    ['a negative learning rate', { learningRate: -0.01 }, /--lr: '-0.01'/],
    ['a fractional batch size', { batchSize: 12.5 }, /--batch-size: '12.5' is not a whole number ≥ 1; try --batch-size 13/],
    ['an absurd batch size', { batchSize: 1e9 }, /--batch-size: 1000000000 is more than the 65,536 allowed/],
    ['zero epochs', { epochs: 0 }, /--epochs/],
    ['dropout of 1', { dropout: 1 }, /--dropout: '1' must be at least 0 and below 1/],
    ['a negative seed', { seed: -1 }, /--seed/],
    ['a layer of size zero', { architecture: '784-0-10' }, /0/],
    ['letters in the layers', { architecture: '784-abc-10' }, /abc/],
    ['the wrong input size', { architecture: '100-16-10' }, /start with 784/],
    ['the wrong number of outputs', { architecture: '784-16-3' }, /end with 10/],
    ['an unknown activation', { activations: 'swish' }, /swish/],
    ['too many activations for the layers', { activations: 'relu,selu,tanh' }, /./],
    ['a schedule that does not parse', { schedule: 'step:0' }, /^--schedule.*whole number of epochs ≥ 1/],
    ['an unknown loss', { loss: 'hinge' as never }, /^--loss: unknown value 'hinge'/],
    ['a validation split of 1', { valSplit: 1 }, /^--val-split: '1' must be at least 0 and below 1/],
    ['momentum with Adam', { optimizer: 'adam', momentum: 0.9 }, /^--momentum applies to --optimizer sgd or momentum, not adam/],
    ['a negative weight decay', { weightDecay: -1 }, /^--weight-decay: '-1' is not a positive number/],
    ['early stopping after 0 epochs', { earlyStopping: 0 }, /^--early-stopping: '0' is not a whole number ≥ 1/],
    ['a misspelt augmentation', { augment: 'rotat=10' }, /^--augment: unknown augmentation 'rotat'; did you mean 'rotate'\?/],
    ['a training subset of 0.5 images', { trainLimit: 0.5 }, /^--train-limit: '0.5' is not a whole number ≥ 1/],
  ])('refuses %s with the CLI’s message for the same flag', (_label, change, message) => {
    const problems = checkTrainConfig({ ...base, ...change });
    expect(problems.length).toBeGreaterThanOrEqual(1);
    expect(problems.join('\n')).toMatch(message);
  });

  it('gives each problem to its own field, in the words of core’s rule (the CLI’s)', () => {
    const values = { ...formValues(base), learningRate: '', batchSize: '0', momentum: '2', augment: 'rotate=500' };
    const { problems } = readForm(values);
    expect(Object.keys(problems).sort()).toEqual(['augment', 'batchSize', 'learningRate', 'momentum']);
    for (const [field, key] of [['learningRate', 'lr'], ['batchSize', 'batchSize']] as const) {
      const flag = key === 'lr' ? '--lr' : '--batch-size';
      expect(() => RUN_SETTING_RULES[key](values[field], flag)).toThrow(problems[field]);
    }
  });

  it('reads every option into the run’s configuration; empty optional fields stay unset', () => {
    const values = { ...formValues(base), loss: 'mse', schedule: 'cosine', weightDecay: '0.0005', optimizer: 'momentum', momentum: '0.8', earlyStopping: '2', augment: 'rotate=5,elastic', trainLimit: '300', valSplit: '0.2' };
    const { config, problems } = readForm(values);
    expect(problems).toEqual({});
    expect(config).toMatchObject({ loss: 'mse', schedule: 'cosine', weightDecay: 0.0005, optimizer: 'momentum', momentum: 0.8, earlyStopping: 2, augment: 'rotate=5,elastic=34:4', trainLimit: 300, valSplit: 0.2 });
    const empty = readForm({ ...values, weightDecay: '', momentum: '', earlyStopping: '', augment: '', trainLimit: '' }).config;
    for (const key of ['weightDecay', 'momentum', 'earlyStopping', 'augment', 'trainLimit'] as const) expect(empty[key], key).toBeUndefined();
  });

  it('lists every problem at once', () => {
    expect(checkTrainConfig({ ...base, learningRate: Number.NaN, batchSize: 0, epochs: -1 })).toHaveLength(3);
  });

  it('takes 1 to the machine’s cores as threads', () => {
    expect(readThreads('2', 4)).toEqual({ threads: 2 });
    expect(readThreads('8', 4).problem).toBe('--threads: 8 is more than the 4 allowed; try --threads 2');
    expect(readThreads('0', 4).problem).toMatch(/^--threads: '0' is not a whole number ≥ 1/);
  });
});

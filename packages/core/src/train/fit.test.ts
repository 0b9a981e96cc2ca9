import { describe, expect, it } from 'vitest';
import { ConfigError, ErrorCode, ShapeError, TrainingError } from '../errors.js';
import { buildModel } from '../model/build-model.js';
import { parseArchitecture } from '../model/parse-architecture.js';
import { tensor } from '../tensor.js';
import { tensorDataset } from '../data/tensor-dataset.js';
import { twoSpirals } from '../../test/helpers/spirals.js';
import { evaluate } from './evaluate.js';
import { fit } from './fit.js';
import type { EpochEndInfo } from './types.js';

const spirals = twoSpirals(100);

describe('fit', () => {
  it('learns two spirals to ~100 % training accuracy', async () => {
    const model = buildModel(parseArchitecture('2-32-32-2', { activations: 'tanh' }), { seed: 1 });
    const history = await fit(model, spirals, { epochs: 300, batchSize: 20, optimizer: { type: 'adam', lr: 0.01 }, seed: 1 });
    const last = history.epochs[history.epochs.length - 1];
    const result = evaluate(model, spirals);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.99);
    expect(last.loss).toBeLessThan(history.epochs[0].loss / 10);
    expect(history.epochs).toHaveLength(300);
    expect(model.training).toBe(false);
  });

  it.each([
    ['mse', 'sigmoid'],
    ['bce', 'identity'],
  ] as const)('also learns with loss %s on an output layer %s (one seed trained MSE on a sigmoid output)', async (loss, output) => {
    const small = twoSpirals(50);
    const model = buildModel(parseArchitecture('2-32-32-2', { activations: 'tanh', output }), { seed: 1 });
    await fit(model, small, { epochs: 150, batchSize: 20, loss, optimizer: { type: 'adam', lr: 0.02 }, seed: 1 });
    expect(evaluate(model, small, { loss }).accuracy).toBeGreaterThanOrEqual(0.97);
  });

  it('same seed → bit-identical weights and history; another seed → different', async () => {
    const run = async (seed: number) => {
      const model = buildModel(parseArchitecture('2-16-2', { dropout: 0.2 }), { seed: 3 });
      const history = await fit(model, spirals, { epochs: 5, batchSize: 16, optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 }, seed });
      return { weights: model.parameters().map((p) => Array.from(p.value.data)), history };
    };
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    expect(b.weights).toEqual(a.weights);
    expect(b.history).toEqual(a.history);
    expect(c.weights).not.toEqual(a.weights);
  });

  it('reports batches and epochs to callbacks and applies the schedule per epoch', async () => {
    const model = buildModel(parseArchitecture('2-8-2'), { seed: 1 });
    const batches: Array<[number, number, number]> = [];
    const epochs: EpochEndInfo[] = [];
    const history = await fit(model, spirals, {
      epochs: 3,
      batchSize: 64,
      optimizer: { type: 'sgd', lr: 0.4 },
      schedule: { type: 'step', stepSize: 1, gamma: 0.5 },
      validation: spirals,
      callbacks: {
        onBatchEnd: (info) => {
          batches.push([info.epoch, info.batch, info.progress]);
        },
        onEpochEnd: async (info) => {
          epochs.push(info);
        },
      },
    });
    // 200 examples / 64 → 4 batches (the last has 8 rows)
    expect(batches.map(([e, b]) => `${e}.${b}`)).toEqual(['0.0', '0.1', '0.2', '0.3', '1.0', '1.1', '1.2', '1.3', '2.0', '2.1', '2.2', '2.3']);
    expect(batches[batches.length - 1][2]).toBe(1);
    expect(history.epochs.map((e) => e.learningRate)).toEqual([0.4, 0.2, 0.1]);
    expect(epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
    for (const e of epochs) {
      expect(e.valLoss).toBeGreaterThan(0);
      expect(e.valAccuracy).toBeGreaterThanOrEqual(0);
      expect(e.samplesPerSecond).toBeGreaterThan(0);
    }
    // validation on the training set in eval mode reproduces evaluate()
    expect(history.epochs[2].valLoss).toBeCloseTo(evaluate(model, spirals).loss, 5);
  });

  it('a warm-up schedule sets the rate per step during its warm-up epochs, then per epoch', async () => {
    const model = buildModel(parseArchitecture('2-8-2'), { seed: 1 });
    const rates: number[] = [];
    await fit(model, spirals, {
      epochs: 3,
      batchSize: 50,
      optimizer: { type: 'sgd', lr: 0.4 },
      // biome-ignore lint/suspicious/noThenProperty: `then` is the schedule contract's field, not a thenable
      schedule: { type: 'warmup', warmupEpochs: 1, then: { type: 'step', stepSize: 1, gamma: 0.5 } },
      callbacks: { onBatchEnd: (info) => void rates.push(info.learningRate) },
    });
    expect(rates).toEqual([0.1, 0.2, 0.30000000000000004, 0.4, 0.4, 0.4, 0.4, 0.4, 0.2, 0.2, 0.2, 0.2]);
  });

  it('a NaN/Inf loss throws NON_FINITE_LOSS suggesting a lower learning rate, weights back at the epoch start', async () => {
    const model = buildModel(parseArchitecture('2-8-2'), { seed: 1 });
    const initial = model.parameters().map((p) => Array.from(p.value.data));
    const attempt = fit(model, spirals, { epochs: 2, batchSize: 10, optimizer: { type: 'sgd', lr: 1e30 } });
    await expect(attempt).rejects.toThrow(TrainingError);
    await expect(fit(model, spirals, { epochs: 2, batchSize: 10, optimizer: { type: 'sgd', lr: 1e30 } })).rejects.toThrow(
      /lower learning rate/,
    );
    try {
      await fit(model, spirals, { epochs: 2, batchSize: 10, optimizer: { type: 'sgd', lr: 1e30 } });
    } catch (error) {
      expect((error as TrainingError).code).toBe(ErrorCode.NON_FINITE_LOSS);
    }
    expect(model.parameters().map((p) => Array.from(p.value.data))).toEqual(initial);
  });

  it('NaN in the data is reported as a data problem, not a learning-rate one', async () => {
    const model = buildModel(parseArchitecture('2-2'), { seed: 1 });
    const data = tensorDataset(tensor([[0, 1], [Number.NaN, 1]]), [0, 1]);
    const attempt = fit(model, data, { epochs: 1, batchSize: 2, optimizer: { type: 'sgd', lr: 0.1 }, shuffle: false });
    await expect(attempt).rejects.toThrow(/input batch holds a non-finite value \(feature 2\); check the data for NaN/);
  });

  it('early stopping halts when validation loss stops improving and restores the best weights', async () => {
    const model = buildModel(parseArchitecture('2-64-64-2'), { seed: 2 });
    const noisy = twoSpirals(100, { shuffledLabels: true });
    const snapshots: number[][][] = [];
    const history = await fit(model, spirals, {
      epochs: 300,
      batchSize: 20,
      optimizer: { type: 'adam', lr: 0.01 },
      validation: noisy,
      earlyStopping: { patience: 3 },
      callbacks: { onEpochEnd: () => void snapshots.push(model.parameters().map((p) => Array.from(p.value.data))) },
    });
    expect(history.stoppedEarly).toBe(true);
    const best = history.bestEpoch!;
    const valLosses = history.epochs.map((e) => e.valLoss!);
    expect(valLosses[best]).toBe(Math.min(...valLosses));
    expect(history.epochs).toHaveLength(best + 4);
    expect(model.parameters().map((p) => Array.from(p.value.data))).toEqual(snapshots[best]);
  });

  it('bad options and data that do not fit the model get typed errors naming the problem', async () => {
    const model = buildModel(parseArchitecture('3-4-2'));
    await expect(fit(model, spirals, { epochs: 1, batchSize: 8, optimizer: { type: 'sgd', lr: 0.1 } })).rejects.toThrow(ShapeError);
    await expect(fit(model, spirals, { epochs: 1, batchSize: 8, optimizer: { type: 'sgd', lr: 0.1 } })).rejects.toThrow(
      /examples have 2 features but the model expects \[batch, 3\]/,
    );
    const threeClasses = tensorDataset(tensor([[1, 2, 3]]), [0], 3);
    await expect(fit(model, threeClasses, { epochs: 1, batchSize: 8, optimizer: { type: 'sgd', lr: 0.1 } })).rejects.toThrow(
      /outputs \[batch, 2\] but the dataset has 3 classes/,
    );
    const two = buildModel(parseArchitecture('2-2'));
    await expect(fit(two, spirals, { epochs: 0, batchSize: 8, optimizer: { type: 'sgd', lr: 0.1 } })).rejects.toThrow(ConfigError);
    await expect(fit(two, spirals, { epochs: 1, batchSize: 2.5, optimizer: { type: 'sgd', lr: 0.1 } })).rejects.toThrow(/batchSize/);
    await expect(fit(two, spirals, { epochs: 1, batchSize: 8, optimizer: { type: 'adam', lr: 0.1 }, earlyStopping: { patience: 1, monitor: 'val_loss' } })).rejects.toThrow(
      /needs validation data/,
    );
    const softmaxOut = buildModel(parseArchitecture('2-2', { output: 'softmax' }));
    await expect(fit(softmaxOut, spirals, { epochs: 1, batchSize: 8, optimizer: { type: 'sgd', lr: 0.1 } })).rejects.toThrow(
      /loss 'cross_entropy' expects logits .* already ends in softmax; build it with output 'identity'/,
    );
    const other = buildModel(parseArchitecture('2-2'));
    const { createOptimizer } = await import('../optim/index.js');
    await expect(fit(two, spirals, { epochs: 1, batchSize: 8, optimizer: createOptimizer({ type: 'sgd', lr: 0.1 }, other.parameters()) })).rejects.toThrow(
      /another model's parameters/,
    );
  });
});

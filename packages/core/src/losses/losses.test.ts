import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError } from '../errors.js';
import { tensor } from '../tensor.js';
import { float64, float64Backend } from '../../test/helpers/float64.js';
import { maxRelativeError, numericGradient, sampleValues } from '../../test/helpers/gradient-check.js';
import { binaryCrossEntropyWithLogits, computeLoss, getBatchLoss, meanSquaredError, softmaxCrossEntropy } from './index.js';
import type { BatchTarget, LossName } from './loss.js';

const rows = 4;
const cols = 3;
const labels = Int32Array.from([0, 2, 1, 2]);
const soft = float64([0.2, 0.3, 0.5, 0, 0, 1, 0.6, 0.4, 0, 0.1, 0.1, 0.8]);

function gradientError(name: LossName, target: BatchTarget, output: Float32Array): { error: number; message: string } {
  const loss = getBatchLoss(name);
  const grad = float64(new Array(rows * cols).fill(0));
  loss(float64Backend, output, target, grad, rows, cols);
  const numeric = numericGradient(() => loss(float64Backend, output, target, null, rows, cols), output);
  return maxRelativeError(grad, numeric);
}

describe('losses: float64 central-difference gradient checks', () => {
  const logits = () => float64(sampleValues(rows * cols, 11, -3, 3));
  const probabilities = () => float64(sampleValues(rows * cols, 12, 0.05, 0.95));
  it.each([
    ['cross_entropy', 'labels', labels],
    ['cross_entropy', 'soft targets', soft],
    ['bce', 'labels', labels],
    ['bce', 'soft targets', soft],
    ['mse', 'labels', labels],
    ['mse', 'soft targets', soft],
  ] as const)('%s with %s', (name, _kind, target) => {
    const r = gradientError(name, target, name === 'mse' ? probabilities() : logits());
    expect(r.error, r.message).toBeLessThan(1e-6);
  });
});

describe('losses: reference values', () => {
  it('cross-entropy = log Σ e^z − z[label], mean over rows; gradient (softmax − onehot)/rows', () => {
    const { loss, grad } = softmaxCrossEntropy(tensor([[1, 2, 3], [0, 0, 0]]), [2, 0]);
    // row 0: log(e+e²+e³) − 3 = 0.40760596; row 1: log 3 = 1.0986123
    expect(loss).toBeCloseTo((0.4076059644443804 + Math.log(3)) / 2, 6);
    expect(grad.data[2]).toBeCloseTo((0.6652409557748219 - 1) / 2, 6);
    expect(grad.data[3]).toBeCloseTo((1 / 3 - 1) / 2, 6);
  });

  it('cross-entropy with one-hot rows equals the class-index form', () => {
    const logits = tensor([[0.5, -1, 2], [3, 0, -2]]);
    const a = softmaxCrossEntropy(logits, [1, 0]);
    const b = softmaxCrossEntropy(logits, tensor([[0, 1, 0], [1, 0, 0]]));
    expect(b.loss).toBeCloseTo(a.loss, 6);
    for (let i = 0; i < b.grad.size; i++) expect(b.grad.data[i]).toBeCloseTo(a.grad.data[i], 6);
  });

  it('cross-entropy stays finite for huge logits (log-sum-exp)', () => {
    const { loss } = softmaxCrossEntropy(tensor([[1000, 0, -1000]]), [1]);
    expect(loss).toBeCloseTo(1000, 3);
  });

  it('BCE with logits matches −[t log σ(z) + (1−t) log(1−σ(z))] and is stable at |z| = 100', () => {
    const z = 0.7;
    const s = 1 / (1 + Math.exp(-z));
    const { loss } = binaryCrossEntropyWithLogits(tensor([[z, -z]]), tensor([[1, 0]]));
    expect(loss).toBeCloseTo(-Math.log(s), 6);
    const extreme = binaryCrossEntropyWithLogits(tensor([[100, -100]]), tensor([[0, 1]]));
    expect(extreme.loss).toBeCloseTo(100, 4);
  });

  it('MSE is the mean over all elements (PyTorch MSELoss); labels become one-hot', () => {
    const { loss, grad } = meanSquaredError(tensor([[0.5, 0.5], [1, 0]]), [0, 0]);
    // diffs: -0.5, 0.5, 0, 0 → (0.25 + 0.25) / 4
    expect(loss).toBeCloseTo(0.125, 7);
    expect(Array.from(grad.data)).toEqual([-0.25, 0.25, 0, 0]);
  });
});

describe('losses: bad input', () => {
  it('a label out of range names it and its row instead of producing NaN', () => {
    expect(() => softmaxCrossEntropy(tensor([[1, 2, 3]]), [3])).toThrow(ConfigError);
    expect(() => softmaxCrossEntropy(tensor([[1, 2, 3]]), [3])).toThrow(/label 3 at row 0 .*\[0, 3\)/);
    expect(() => meanSquaredError(tensor([[1, 2]]), [-1])).toThrow(/label -1/);
  });

  it('a target of the wrong shape names both shapes', () => {
    expect(() => binaryCrossEntropyWithLogits(tensor([[1, 2, 3]]), tensor([[1, 0]]))).toThrow(ShapeError);
    expect(() => binaryCrossEntropyWithLogits(tensor([[1, 2, 3]]), tensor([[1, 0]]))).toThrow(/\[1, 2\].*\[1, 3\]/);
    expect(() => softmaxCrossEntropy(tensor([[1, 2, 3]]), [0, 1])).toThrow(/2 labels for output \[1, 3\]/);
  });

  it('an unknown loss lists the valid ones', () => {
    expect(() => computeLoss('hinge' as LossName, tensor([[1]]), [0])).toThrow(/valid losses: cross_entropy, mse, bce/);
  });
});

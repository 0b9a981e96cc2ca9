import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../backend/index.js';
import { ShapeError } from '../errors.js';
import { tensorDataset } from '../data/tensor-dataset.js';
import { buildModel } from '../model/build-model.js';
import { parseArchitecture } from '../model/parse-architecture.js';
import { tensor } from '../tensor.js';
import { evaluate } from './evaluate.js';
import { classMetrics, confusionMatrix } from './metrics.js';
import { predict, predictClasses } from './predict.js';

/** A 2-input, 3-class linear model whose weights pick the class: output = [x0, x1, 0.5]. */
function pickingModel() {
  const model = buildModel(parseArchitecture('2-3'), { backend: createJsBackend() });
  model.parameters()[0].value.data.set([1, 0, 0, 1, 0, 0]);
  model.parameters()[1].value.data.set([0, 0, 0.5]);
  return model;
}

describe('metrics', () => {
  it('confusion matrix rows are true classes; precision/recall/F1 match hand computation', () => {
    const actual = [0, 0, 0, 1, 1, 2];
    const predicted = [0, 0, 1, 1, 2, 2];
    const confusion = confusionMatrix(actual, predicted, 3);
    expect(confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    const [c0, c1, c2] = classMetrics(confusion);
    expect(c0).toEqual({ precision: 1, recall: 2 / 3, f1: 0.8, support: 3 });
    expect(c1.precision).toBe(0.5);
    expect(c1.recall).toBe(0.5);
    expect(c1.f1).toBe(0.5);
    expect(c2).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3, support: 1 });
    expect(classMetrics([[0, 0], [1, 0]])[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
  });
});

describe('evaluate and predict', () => {
  const x = tensor([
    [2, 0], // → class 0
    [0, 2], // → class 1
    [0, 0], // → class 2
    [3, 1], // → class 0, labelled 1
    [0, 0], // → class 2
  ]);
  const labels = [0, 1, 2, 1, 2];

  it('reports loss, accuracy, confusion and per-class metrics with class names, in batches', () => {
    const data = tensorDataset(x, labels, 3, ['a', 'b', 'c']);
    const result = evaluate(pickingModel(), data, { batchSize: 2 });
    expect(result.accuracy).toBe(0.8);
    expect(result.count).toBe(5);
    expect(result.confusion).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [0, 0, 2],
    ]);
    expect(result.perClass[0]).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3, support: 1 });
    expect(result.classNames).toEqual(['a', 'b', 'c']);
    // cross-entropy by hand: mean of lse(row) − row[label]
    const rows = [[2, 0, 0.5], [0, 2, 0.5], [0, 0, 0.5], [3, 1, 0.5], [0, 0, 0.5]];
    const expected = rows.reduce((sum, r, i) => sum + Math.log(r.reduce((s, v) => s + Math.exp(v), 0)) - r[labels[i]], 0) / 5;
    expect(result.loss).toBeCloseTo(expected, 6);
  });

  it('predict gives softmax probabilities for a logits model and keeps the model mode', () => {
    const model = pickingModel().train();
    const p = predict(model, x);
    expect(p.shape).toEqual([5, 3]);
    for (let r = 0; r < 5; r++) expect(p.data[r * 3] + p.data[r * 3 + 1] + p.data[r * 3 + 2]).toBeCloseTo(1, 6);
    expect(p.data[0]).toBeCloseTo(Math.exp(2) / (Math.exp(2) + 1 + Math.exp(0.5)), 6);
    expect(model.training).toBe(true);
    expect(Array.from(predictClasses(model, x))).toEqual([0, 1, 2, 0, 2]);
    const sig = predict(model, tensor([[0, 0]]), { activation: 'sigmoid' });
    expect(sig.data[2]).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 6);
  });

  it('a model ending in softmax is not softmaxed twice', () => {
    const model = buildModel(parseArchitecture('2-3', { output: 'softmax' }));
    const p = predict(model, tensor([[1, -1]]));
    const direct = model.eval().forward(tensor([[1, -1]]));
    expect(Array.from(p.data)).toEqual(Array.from(direct.data));
  });

  it('data that does not fit the model is a ShapeError naming both sizes', () => {
    const data = tensorDataset(tensor([[1, 2, 3]]), [0], 3);
    expect(() => evaluate(pickingModel(), data)).toThrow(ShapeError);
    expect(() => evaluate(pickingModel(), data)).toThrow(/examples have 3 features but the model expects \[batch, 2\]/);
  });
});

describe('tensorDataset', () => {
  it('gathers rows and labels in the order of the indices', () => {
    const data = tensorDataset(tensor([[1, 2], [3, 4], [5, 6]]), [0, 1, 0]);
    expect([data.size, data.inputSize, data.classCount]).toEqual([3, 2, 2]);
    const xOut = new Float32Array(4);
    const labelsOut = new Int32Array(2);
    data.gather([2, 0, 1], 1, 2, xOut, labelsOut);
    expect(Array.from(xOut)).toEqual([1, 2, 3, 4]);
    expect(Array.from(labelsOut)).toEqual([0, 1]);
  });

  it('rejects mismatched counts (naming both), negative or fractional labels, and too few classes', () => {
    expect(() => tensorDataset(tensor([[1, 2], [3, 4]]), [0])).toThrow(/x \[2, 2\] has 2 examples but labels \[1\] has 1/);
    expect(() => tensorDataset(tensor([[1, 2]]), [-1])).toThrow(/label -1 at index 0/);
    expect(() => tensorDataset(tensor([[1, 2]]), [0.5])).toThrow(/label 0.5/);
    expect(() => tensorDataset(tensor([[1, 2]]), [4], 3)).toThrow(/classCount 3 must exceed the largest label 4/);
  });
});

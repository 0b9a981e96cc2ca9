import { describe, expect, it } from 'vitest';
import { confusionMatrix, filterExamples, heatColour, perClassAccuracy } from '../../src/renderer/src/inspect/confusion.js';

describe('confusion matrix and gallery filters', () => {
  const labels = Uint8Array.from([0, 0, 1, 1, 1, 2, 2]);
  const predictions = Uint8Array.from([0, 1, 1, 1, 2, 2, 0]);
  // probabilities rows (3 classes): confidence of the predicted class varies
  const probabilities = Float32Array.from([0.9, 0.05, 0.05, 0.3, 0.6, 0.1, 0.1, 0.8, 0.1, 0.1, 0.7, 0.2, 0.1, 0.1, 0.8, 0.2, 0.2, 0.6, 0.95, 0.03, 0.02]);

  it('counts true (rows) against predicted (columns)', () => {
    expect(confusionMatrix(labels, predictions, 3)).toEqual([
      [1, 1, 0],
      [0, 2, 1],
      [1, 0, 1],
    ]);
  });

  it('gives per-class accuracy as recall, NaN for a class with no examples', () => {
    const recall = perClassAccuracy(confusionMatrix(labels, predictions, 4));
    expect(recall.slice(0, 3)).toEqual([0.5, 2 / 3, 0.5]);
    expect(recall[3]).toBeNaN();
  });

  it('filters to mistakes, most confident first', () => {
    expect(filterExamples(labels, predictions, probabilities, 3, { mistakesOnly: true, trueClass: null, predictedClass: null })).toEqual([6, 4, 1]);
  });

  it('filters by true and predicted class (a confusion-matrix cell)', () => {
    expect(filterExamples(labels, predictions, probabilities, 3, { mistakesOnly: false, trueClass: 1, predictedClass: 1 })).toEqual([2, 3]);
    expect(filterExamples(labels, predictions, probabilities, 3, { mistakesOnly: true, trueClass: 1, predictedClass: 1 })).toEqual([]);
    expect(filterExamples(labels, predictions, probabilities, 3, { mistakesOnly: false, trueClass: null, predictedClass: 0 })).toEqual([0, 6]);
  });

  it('colours the diagonal green and mistakes red, stronger for larger counts', () => {
    expect(heatColour(5, 10, true)).toMatch(/^rgba\(46, 204, 113, /);
    expect(heatColour(5, 10, false)).toMatch(/^rgba\(255, 107, 107, /);
    const alpha = (c: string) => Number(c.match(/, ([\d.]+)\)$/)![1]);
    expect(alpha(heatColour(10, 10, false))).toBeGreaterThan(alpha(heatColour(1, 10, false)));
    expect(heatColour(0, 10, false)).toBe(heatColour(0, 10, true)); // an empty cell is neutral
    expect(alpha(heatColour(1, 10, false))).toBeGreaterThan(alpha(heatColour(0, 10, false)));
  });
});

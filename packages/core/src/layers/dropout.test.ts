import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../backend/index.js';
import { Rng } from '../random.js';
import { checkLayer } from '../../test/helpers/check-layer.js';
import { float64Backend } from '../../test/helpers/float64.js';
import { Dropout } from './dropout.js';

describe('Dropout', () => {
  const n = 10_000;
  const ones = new Float32Array(n).fill(1);

  it('is inverted: zeroes about `rate` of the values and scales the rest by 1/(1−rate)', () => {
    const layer = new Dropout(n, 0.25, createJsBackend());
    const y = layer.forward(ones, 1, { training: true, rng: new Rng(5) });
    const zeros = y.filter((v) => v === 0).length;
    expect(zeros / n).toBeGreaterThan(0.23);
    expect(zeros / n).toBeLessThan(0.27);
    expect(y.filter((v) => v !== 0).every((v) => Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
    // mean preserved within sampling noise (σ ≈ 0.0058)
    expect(y.reduce((a, b) => a + b, 0) / n).toBeCloseTo(1, 1);
  });

  it('is a pass-through in evaluation mode, forward and backward', () => {
    const layer = new Dropout(4, 0.5, createJsBackend());
    const x = Float32Array.from([1, 2, 3, 4]);
    expect(layer.forward(x, 1, { training: false, rng: new Rng(1) })).toBe(x);
    const dy = Float32Array.from([1, 1, 1, 1]);
    expect(layer.backward(dy, 1)).toBe(dy);
  });

  it('draws the same mask from the same seed and another from another seed', () => {
    const layer = new Dropout(64, 0.5, createJsBackend());
    const mask = (seed: number) => Array.from(layer.forward(ones.subarray(0, 64), 1, { training: true, rng: new Rng(seed) }));
    expect(mask(9)).toEqual(mask(9));
    expect(mask(9)).not.toEqual(mask(10));
  });

  it('backward multiplies by the same mask (float64 gradient check)', () => {
    const results = checkLayer(new Dropout(8, 0.4, float64Backend), 3);
    expect(results.input.error, results.input.message).toBeLessThan(1e-6);
  });
});

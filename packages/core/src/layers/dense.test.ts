import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../backend/index.js';
import { Rng } from '../random.js';
import { checkLayer } from '../../test/helpers/check-layer.js';
import { float64Backend } from '../../test/helpers/float64.js';
import { Dense } from './dense.js';

describe('Dense', () => {
  it('computes y = x·Wᵀ + b with weight stored [out, in] as in PyTorch', () => {
    const dense = new Dense(3, 2, createJsBackend(), { prefix: '0.', rng: new Rng(1) });
    dense.weight.value.data.set([1, 2, 3, -1, 0, 1]);
    dense.bias.value.data.set([0.5, -2]);
    const y = dense.forward(Float32Array.from([1, 1, 1, 2, 0, -1]), 2, { training: false, rng: new Rng(0) });
    // row 0: [1+2+3+0.5, -1+0+1-2] ; row 1: [2-3+0.5, -2-1-2]
    expect(Array.from(y.subarray(0, 4))).toEqual([6.5, -2, -0.5, -5]);
    expect(dense.weight.name).toBe('0.weight');
    expect(dense.weight.value.shape).toEqual([2, 3]);
    expect(dense.bias.value.shape).toEqual([2]);
  });

  it('passes a float64 central-difference gradient check for input, weight and bias', () => {
    const dense = new Dense(5, 4, float64Backend, { prefix: '0.', rng: new Rng(3) });
    dense.bias.value.data.set([0.1, -0.2, 0.3, 0.05]);
    for (const [name, r] of Object.entries(checkLayer(dense, 3))) {
      expect(r.error, `${name}: ${r.message}`).toBeLessThan(1e-6);
    }
  });

  it('adds into parameter gradients rather than overwriting them', () => {
    const dense = new Dense(2, 2, createJsBackend(), { prefix: '0.', rng: new Rng(3) });
    const x = Float32Array.from([1, 2]);
    const dy = Float32Array.from([1, -1]);
    const context = { training: true, rng: new Rng(0) };
    dense.forward(x, 1, context);
    dense.backward(dy, 1, false);
    const once = Array.from(dense.weight.grad.data);
    dense.forward(x, 1, context);
    dense.backward(dy, 1, false);
    expect(Array.from(dense.weight.grad.data)).toEqual(once.map((g) => 2 * g));
    expect(once).toEqual([1, 2, -1, -2]);
    expect(Array.from(dense.bias.grad.data)).toEqual([2, -2]);
  });

  it('replaces parameter gradients when asked to overwrite (what fit does instead of zeroGrad)', () => {
    const dense = new Dense(2, 2, createJsBackend(), { prefix: '0.', rng: new Rng(3) });
    const context = { training: true, rng: new Rng(0) };
    dense.weight.grad.data.fill(123);
    dense.bias.grad.data.fill(-7);
    dense.forward(Float32Array.from([1, 2]), 1, context);
    dense.backward(Float32Array.from([1, -1]), 1, false, true);
    expect(Array.from(dense.weight.grad.data)).toEqual([1, 2, -1, -2]);
    expect(Array.from(dense.bias.grad.data)).toEqual([1, -1]);
  });

  it('skips the input gradient when not needed', () => {
    const dense = new Dense(2, 2, createJsBackend(), { prefix: '0.', rng: new Rng(3) });
    dense.forward(Float32Array.from([1, 2]), 1, { training: true, rng: new Rng(0) });
    expect(dense.backward(Float32Array.from([1, 1]), 1, false)).toBeNull();
  });

  it('uses only the first rows of larger buffers (a short last batch)', () => {
    const backend = createJsBackend();
    const dense = new Dense(2, 1, backend, { prefix: '0.', rng: new Rng(3) });
    dense.weight.value.data.set([1, 1]);
    dense.reserve(4);
    const x = Float32Array.from([1, 2, 3, 4, 100, 100, 100, 100]);
    const y = dense.forward(x, 2, { training: true, rng: new Rng(0) });
    expect(y.length).toBe(4);
    expect(Array.from(y.subarray(0, 2))).toEqual([3, 7]);
  });
});

import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../backend/index.js';
import { Rng } from '../random.js';
import { checkLayer } from '../../test/helpers/check-layer.js';
import { float64Backend } from '../../test/helpers/float64.js';
import { type ElementwiseActivation, LeakyReLU, ReLU, SELU, Sigmoid, Tanh } from './activations.js';
import { Identity } from './identity.js';
import { Flatten } from './flatten.js';
import { Softmax } from './softmax.js';

const eval0 = { training: false, rng: new Rng(0) };

describe('activation layers', () => {
  it('compute reference values (PyTorch constants for SELU and LeakyReLU)', () => {
    const backend = createJsBackend();
    const x = Float32Array.from([-1, 0.5]);
    const run = (layer: ElementwiseActivation) => Array.from(layer.forward(x, 1, eval0).subarray(0, 2));
    expect(run(new ReLU(2, backend))).toEqual([0, 0.5]);
    expect(run(new LeakyReLU(2, backend))).toEqual([Math.fround(-0.01), 0.5]);
    const sig = run(new Sigmoid(2, backend));
    expect(sig[0]).toBeCloseTo(0.2689414213699951, 6);
    expect(run(new Tanh(2, backend))[1]).toBeCloseTo(0.46211715726000974, 6);
    const selu = run(new SELU(2, backend));
    // torch.nn.SELU()(torch.tensor([-1., 0.5])) = [-1.1113, 0.5254]
    expect(selu[0]).toBeCloseTo(-1.1113307378125625, 5);
    expect(selu[1]).toBeCloseTo(0.5253504936777402, 6);
  });

  it.each([
    ['relu', (w: number) => new ReLU(w, float64Backend)],
    ['leaky_relu', (w: number) => new LeakyReLU(w, float64Backend, 0.2)],
    ['sigmoid', (w: number) => new Sigmoid(w, float64Backend)],
    ['tanh', (w: number) => new Tanh(w, float64Backend)],
    ['selu', (w: number) => new SELU(w, float64Backend)],
    ['softmax', (w: number) => new Softmax(w, float64Backend)],
    ['identity', (w: number) => new Identity(w)],
    ['flatten', (w: number) => new Flatten(w)],
  ])('%s passes a float64 central-difference gradient check', (_name, make) => {
    const results = checkLayer(make(6), 3);
    expect(results.input.error, results.input.message).toBeLessThan(1e-6);
  });

  it('softmax rows sum to 1 and survive huge logits', () => {
    const layer = new Softmax(3, createJsBackend());
    const y = layer.forward(Float32Array.from([1000, 1001, 1002, -5, 0, 5]), 2, eval0);
    expect(y[0] + y[1] + y[2]).toBeCloseTo(1, 6);
    expect(y[2]).toBeCloseTo(0.6652409557748219, 6);
    expect(Array.from(y).every(Number.isFinite)).toBe(true);
  });
});

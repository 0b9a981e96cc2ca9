import { afterEach, describe, expect, it } from 'vitest';
import { type Backend, createJsBackend, getBackend, setBackend } from '../backend/index.js';
import { createOptimizer } from '../optim/index.js';
import { tensor } from '../tensor.js';
import { evaluate } from '../train/evaluate.js';
import { fit } from '../train/fit.js';
import { predict } from '../train/predict.js';
import { twoSpirals } from '../../test/helpers/spirals.js';
import { buildModel } from './build-model.js';
import { parseArchitecture } from './parse-architecture.js';

/** A reference backend that tracks which of its buffers are live (allocated and not released). */
function trackingBackend(): Backend & { live: Set<Float32Array> } {
  const base = createJsBackend();
  const live = new Set<Float32Array>();
  return {
    ...base,
    live,
    allocate(n) {
      const buffer = base.allocate(n);
      live.add(buffer);
      return buffer;
    },
    release(buffer) {
      if (!live.delete(buffer)) throw new Error('released a buffer that is not live (double release?)');
    },
  };
}

/**
 * WebAssembly memory is not garbage-collected, so whatever core takes from `backend.allocate` it
 * must hand back: fit's and evaluate's batch buffers when they return, a model's buffers on
 * dispose(), and transient results (outputs, copies) never come from the backend at all.
 */
describe('backend buffers are released', () => {
  const globalBackend = getBackend();
  afterEach(() => setBackend(globalBackend));

  it('fit, evaluate, predict and stateDict leave no backend buffer behind; dispose() releases the model', async () => {
    const backend = trackingBackend();
    setBackend(backend); // so that any tensor taken from the default backend would be counted
    const data = twoSpirals(30);
    const model = buildModel(parseArchitecture('2-8-8-2', { activations: 'relu,sigmoid', dropout: 0.2 }), { seed: 1, backend });
    // Optimizer slots on another backend: their release is the optimizer's business.
    const optimizer = () => createOptimizer({ type: 'adam', lr: 0.01 }, model.parameters(), createJsBackend());
    await fit(model, data, { epochs: 2, batchSize: 16, optimizer: optimizer(), validation: data });
    const afterFirstFit = backend.live.size; // parameters, gradients, activation buffers sized for 16 rows

    await fit(model, data, { epochs: 2, batchSize: 16, optimizer: optimizer(), validation: data });
    evaluate(model, data, { batchSize: 16 });
    predict(model, tensor([[0.1, 0.2]]));
    model.stateDict();
    model.forward(tensor([[1, 2]]));
    expect(backend.live.size).toBe(afterFirstFit);

    model.dispose();
    expect(backend.live.size).toBe(0);
  });

  it('an aborted or failing fit releases its buffers too', async () => {
    const backend = trackingBackend();
    const data = twoSpirals(30);
    const model = buildModel(parseArchitecture('2-8-2'), { seed: 1, backend });
    model.reserve(16);
    const before = backend.live.size;
    const controller = new AbortController();
    controller.abort();
    const optimizer = createOptimizer({ type: 'sgd', lr: 1e30 }, model.parameters(), createJsBackend());
    await expect(fit(model, data, { epochs: 1, batchSize: 16, optimizer, validation: data, signal: controller.signal })).rejects.toThrow(/aborted/);
    await expect(fit(model, data, { epochs: 3, batchSize: 16, optimizer, validation: data })).rejects.toThrow(/lower learning rate/);
    expect(backend.live.size).toBe(before);
  });
});

import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend/backend.js';
import { buildModel } from '../model/build-model.js';
import { parseArchitecture } from '../model/parse-architecture.js';
import { availableBackends } from '../../test/helpers/backends.js';
import { twoSpirals } from '../../test/helpers/spirals.js';
import { evaluate } from './evaluate.js';
import { fit } from './fit.js';
import { TrainingAbortedError } from './training-aborted-error.js';
import type { FitOptions } from './types.js';

/**
 * The training loop on every backend this engine runs (js, and wasm where supported): layers,
 * losses and optimizers reach numbers only through the Backend, so each must train, resume
 * bit-identically and keep the step free of buffer allocations.
 */
const data = twoSpirals(60);

describe.each(await availableBackends())('fit on the $name backend', (backend: Backend) => {
  const model = (seed = 1) => buildModel(parseArchitecture('2-24-24-2', { activations: 'tanh,relu', dropout: 0.05 }), { seed, backend });
  const options = (): FitOptions => ({ epochs: 120, batchSize: 12, optimizer: { type: 'adam', lr: 0.02 }, seed: 4 });

  it('learns two spirals', async () => {
    const m = model();
    await fit(m, data, options());
    expect(evaluate(m, data).accuracy).toBeGreaterThanOrEqual(0.97);
  });

  it('resumes bit-identically after an abort and allocates no backend buffer per step', async () => {
    const reference = model();
    const referenceHistory = await fit(reference, data, { ...options(), epochs: 6 });

    let allocations = 0;
    const counting: Backend = Object.create(backend);
    counting.allocate = (n: number) => {
      allocations++;
      return backend.allocate(n);
    };
    const stopped = buildModel(parseArchitecture('2-24-24-2', { activations: 'tanh,relu', dropout: 0.05 }), { seed: 1, backend: counting });
    const controller = new AbortController();
    const perStep: number[] = [];
    let before = 0;
    const error = (await fit(stopped, data, {
      ...options(),
      epochs: 6,
      signal: controller.signal,
      callbacks: {
        onBatchEnd: (info) => {
          if (info.batch > 0) perStep.push(allocations - before);
          before = allocations;
          if (info.epoch === 3 && info.batch === 4) controller.abort();
        },
      },
    }).catch((e) => e)) as TrainingAbortedError;
    expect(error).toBeInstanceOf(TrainingAbortedError);
    expect(perStep.length).toBeGreaterThan(20);
    expect(perStep.every((n) => n === 0)).toBe(true);

    const resumed = model(77);
    resumed.loadStateDict(stopped.stateDict());
    const history = await fit(resumed, data, { ...options(), epochs: 6, resumeFrom: error.state });
    expect(history).toEqual(referenceHistory);
    const weights = (m: typeof reference) => m.parameters().map((p) => Array.from(p.value.data));
    expect(weights(resumed)).toEqual(weights(reference));
  });
});

import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend/backend.js';
import { createJsBackend } from '../backend/index.js';
import { ConfigError, ErrorCode } from '../errors.js';
import type { Parameter } from '../parameter.js';
import { Tensor } from '../tensor.js';
import { createOptimizer } from './create-optimizer.js';
import { availableBackends } from '../../test/helpers/backends.js';
import type { OptimizerConfig, OptimizerState } from './types.js';

const backend = createJsBackend();

function freshParameters(on: Backend = backend): Parameter[] {
  const make = (name: string, shape: number[], offset: number): Parameter => {
    const size = shape.reduce((a, b) => a * b, 1);
    const value = new Tensor(shape, on.allocate(size));
    for (let i = 0; i < size; i++) value.data[i] = Math.sin(offset + i * 1.7);
    return { name, value, grad: new Tensor(shape, on.allocate(size)) };
  };
  return [make('0.weight', [3, 4], 0), make('0.bias', [3], 10), make('2.weight', [2, 3], 20)];
}

function copyValues(from: Parameter[], to: Parameter[]): void {
  for (const [i, p] of to.entries()) p.value.data.set(from[i].value.data);
}

/** A gradient that depends on the parameter itself and on the step, like a real loss's would. */
function fillGradients(parameters: Parameter[], step: number): void {
  for (const p of parameters) {
    for (let i = 0; i < p.grad.data.length; i++) p.grad.data[i] = 0.7 * p.value.data[i] + 2 * Math.cos(step * 0.9 + i) - 0.1 * step;
  }
}

/** Steps [from, to) with a learning rate that changes every step, as a warm-up schedule would. */
function run(optimizer: ReturnType<typeof createOptimizer>, parameters: Parameter[], from: number, to: number): void {
  for (let step = from; step < to; step++) {
    optimizer.learningRate = optimizer.config.lr * (1 + (step % 3)) * 0.5;
    optimizer.zeroGrad();
    fillGradients(parameters, step);
    optimizer.step();
  }
}

const CONFIGS: OptimizerConfig[] = [
  { type: 'sgd', lr: 0.05, weightDecay: 0.01 },
  { type: 'momentum', lr: 0.05, nesterov: true, clipNorm: 2 },
  { type: 'rmsprop', lr: 0.01, weightDecay: 0.001 },
  { type: 'adam', lr: 0.01, weightDecay: 0.01, clipNorm: 1 },
  { type: 'adamw', lr: 0.01 },
];

describe.each(await availableBackends())('optimizer state on the $name backend', (on) => {
  for (const config of CONFIGS) {
    it(`${config.type}: 8 steps straight = 4 steps, export, restore into a fresh optimizer, 4 steps (bit-identical)`, () => {
      const straightParams = freshParameters(on);
      const straight = createOptimizer(config, straightParams, on);
      run(straight, straightParams, 0, 8);

      const firstParams = freshParameters(on);
      const first = createOptimizer(config, firstParams, on);
      run(first, firstParams, 0, 4);
      const state = first.stateDict();
      // The model's weights travel separately (model.stateDict()); copy them across.
      const resumedParams = freshParameters(on);
      copyValues(firstParams, resumedParams);
      const resumed = createOptimizer(config, resumedParams, on);
      resumed.loadStateDict(state);
      expect(resumed.stateDict()).toEqual(state);
      run(resumed, resumedParams, 4, 8);

      for (const [i, p] of resumedParams.entries()) expect(p.value.data, p.name).toEqual(straightParams[i].value.data);
      expect(resumed.stateDict()).toEqual(straight.stateDict());
      // A restore that dropped the slots would diverge: check the run really depends on them.
      const cold = freshParameters(on);
      copyValues(firstParams, cold);
      const coldOptimizer = createOptimizer(config, cold, on);
      run(coldOptimizer, cold, 4, 8);
      if (config.type !== 'sgd') expect(cold[0].value.data).not.toEqual(straightParams[0].value.data);
    });
  }
});

describe('optimizer state export and restore', () => {

  it('stateDict holds copies keyed <slot>/<parameter>, with the step count and learning rate', () => {
    const parameters = freshParameters();
    const adam = createOptimizer({ type: 'adam', lr: 0.01 }, parameters, backend);
    run(adam, parameters, 0, 3);
    const state = adam.stateDict();
    expect(state.type).toBe('adam');
    expect(state.step).toBe(3);
    expect(state.learningRate).toBe(adam.learningRate);
    expect(Object.keys(state.slots)).toEqual(['m/0.weight', 'm/0.bias', 'm/2.weight', 'v/0.weight', 'v/0.bias', 'v/2.weight']);
    expect(state.slots['v/0.bias'].length).toBe(3);
    state.slots['m/0.weight'].fill(123);
    expect(adam.stateDict().slots['m/0.weight'][0]).not.toBe(123);
    expect(createOptimizer({ type: 'sgd', lr: 0.1 }, parameters, backend).stateDict().slots).toEqual({});
    expect(Object.keys(createOptimizer({ type: 'momentum', lr: 0.1 }, parameters, backend).stateDict().slots)).toContain('velocity/0.bias');
    expect(Object.keys(createOptimizer({ type: 'rmsprop', lr: 0.1 }, parameters, backend).stateDict().slots)).toContain('square/2.weight');
  });

  it('loadStateDict rejects a mismatched state with a typed error and leaves the optimizer unchanged', () => {
    const parameters = freshParameters();
    const adam = createOptimizer({ type: 'adam', lr: 0.01 }, parameters, backend);
    run(adam, parameters, 0, 2);
    const good = adam.stateDict();
    const attempt = (mutate: (s: OptimizerState) => void): ConfigError => {
      const state = structuredClone(good);
      mutate(state);
      try {
        adam.loadStateDict(state);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).code).toBe(ErrorCode.INVALID_STATE);
        return error as ConfigError;
      }
      throw new Error('loadStateDict accepted a bad state');
    };
    expect(attempt((s) => (s.type = 'rmsprop')).message).toMatch(/'rmsprop' optimizer but this one is 'adam'/);
    expect(attempt((s) => delete s.slots['v/2.weight']).message).toMatch(/missing slot 'v\/2\.weight'/);
    expect(attempt((s) => (s.slots['m/0.bias'] = new Float32Array(4))).message).toMatch(/'m\/0\.bias' has 4 values but parameter '0\.bias' has 3/);
    expect(attempt((s) => (s.slots['m/9.weight'] = new Float32Array(1))).message).toMatch(/unexpected slot\(s\) 'm\/9\.weight'/);
    expect(attempt((s) => (s.step = -1)).message).toMatch(/step must be a whole number ≥ 0, got -1/);
    expect(attempt((s) => (s.learningRate = Number.NaN)).message).toMatch(/learningRate must be a finite number ≥ 0, got NaN/);
    // The half-checked states above changed nothing.
    expect(adam.stateDict()).toEqual(good);
  });
});

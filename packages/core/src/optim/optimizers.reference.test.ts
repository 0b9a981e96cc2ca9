import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend/backend.js';
import type { Parameter } from '../parameter.js';
import { Tensor } from '../tensor.js';
import { createOptimizer } from './create-optimizer.js';
import reference from './reference/optimizer-reference.json';
import { availableBackends } from '../../test/helpers/backends.js';
import type { OptimizerConfig } from './types.js';

// Expected values are PyTorch's in float64 (see reference/generate.py). The reference backend
// computes in float64 and stores parameters and slots in float32, so each stored value carries
// ≤ ½ ulp (6e-8 relative) of rounding per step; measured worst over these cases 4.8e-7, so 1e-6.
// Other backends compute in float32 throughout (the WebAssembly one measured 1.1e-6 worst), so
// 3e-6. Constants such as 1 − β2 must be formed in float64: in float32, 1 − 0.999 is off by
// 1.3e-5 relative, which this catches in Adam's v slot. A wrong formula (a missing bias
// correction, decay applied twice, …) is off by > 1e-3 on any backend.
const TOLERANCE_BY_BACKEND: Record<string, number> = { js: 1e-6 };
const FLOAT32_ARITHMETIC_TOLERANCE = 3e-6;

/** A parameter in the backend's own memory, as a model's layers allocate them. */
function parameter(backend: Backend, name: string, shape: number[], values: ArrayLike<number>): Parameter {
  const size = values.length;
  const value = new Tensor(shape, backend.allocate(size));
  value.data.set(values);
  return { name, value, grad: new Tensor(shape, backend.allocate(size)) };
}

/**
 * Largest |actual − expected| / max(|expected|, ⅒·max|expected|) over the arrays: relative error,
 * except that entries much smaller than the array's largest are measured against a tenth of it,
 * because a value that an update drove near zero keeps the absolute rounding error of its inputs.
 */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let largest = 0;
  for (let i = 0; i < expected.length; i++) largest = Math.max(largest, Math.abs(expected[i]));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), largest / 10));
  }
  return worst;
}

describe.each(await availableBackends())('optimizers on the $name backend match PyTorch (reference/optimizer-reference.json)', (backend) => {
  const tolerance = TOLERANCE_BY_BACKEND[backend.name] ?? FLOAT32_ARITHMETIC_TOLERANCE;
  it('covers every optimizer type and option the issue names', () => {
    const configs = reference.optimizers.map((c) => c.config as OptimizerConfig);
    expect(new Set(configs.map((c) => c.type))).toEqual(new Set(['sgd', 'momentum', 'rmsprop', 'adam', 'adamw']));
    expect(configs.some((c) => c.nesterov)).toBe(true);
    expect(configs.some((c) => c.clipNorm !== undefined)).toBe(true);
    expect(configs.filter((c) => c.weightDecay !== undefined).length).toBeGreaterThanOrEqual(4);
  });

  for (const testCase of reference.optimizers) {
    it(`${testCase.name}: parameters after each of ${testCase.steps.length} steps, and the final slots`, () => {
      const shapes = testCase.shapes as Record<string, number[]>;
      const initial = testCase.initial as Record<string, number[]>;
      const parameters = Object.keys(shapes).map((name) => parameter(backend, name, shapes[name], initial[name]));
      const optimizer = createOptimizer(testCase.config as OptimizerConfig, parameters, backend);
      let worst = 0;
      testCase.steps.forEach((step, index) => {
        const record = step as { grads: Record<string, number[]>; params: Record<string, number[]>; norm?: number; lr?: number };
        optimizer.zeroGrad();
        for (const p of parameters) p.grad.data.set(record.grads[p.name]);
        if (record.lr !== undefined) optimizer.learningRate = record.lr;
        optimizer.step();
        if (record.norm !== undefined) expect(optimizer.lastGradientNorm).toBeCloseTo(record.norm, 5);
        for (const p of parameters) {
          const error = relativeError(p.value.data, record.params[p.name]);
          if (error > tolerance) {
            throw new Error(`${testCase.name}: '${p.name}' after step ${index + 1} is off by ${error.toExponential(2)} relative`);
          }
          worst = Math.max(worst, error);
        }
      });
      const state = optimizer.stateDict();
      expect(Object.keys(state.slots).sort()).toEqual(Object.keys(testCase.finalSlots).sort());
      for (const [key, expected] of Object.entries(testCase.finalSlots as Record<string, number[]>)) {
        const error = relativeError(state.slots[key], expected);
        expect(error, key).toBeLessThan(tolerance);
      }
      expect(state.step).toBe(testCase.steps.length);
      // Sanity: the optimizer really moved the parameters, so the comparison above means something.
      expect(relativeError(parameters[0].value.data, initial[parameters[0].name])).toBeGreaterThan(1e-3);
      expect(worst).toBeLessThan(tolerance);
    });
  }
});

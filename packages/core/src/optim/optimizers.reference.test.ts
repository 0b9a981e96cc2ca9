import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../backend/index.js';
import type { Parameter } from '../parameter.js';
import { Tensor } from '../tensor.js';
import { createOptimizer } from './create-optimizer.js';
import reference from './reference/optimizer-reference.json';
import type { OptimizerConfig } from './types.js';

// Expected values are PyTorch's in float64 (see reference/generate.py); scratchnet keeps
// parameters and slots in float32, so each stored value carries ≤ ½ ulp (6e-8 relative) of
// rounding per step. 1e-6 relative allows that to compound over the 6 steps with margin, while
// a wrong formula (a missing bias correction, decay applied twice, …) is off by > 1e-3.
const RELATIVE_TOLERANCE = 1e-6;
// Floor for values that pass near zero, where relative error is meaningless.
const ABSOLUTE_FLOOR = 1e-7;

function parameter(name: string, shape: number[], values: ArrayLike<number>): Parameter {
  return { name, value: new Tensor(shape, Float32Array.from(values)), grad: new Tensor(shape) };
}

/** Largest |actual − expected| / (|expected| + floor) over the arrays; 0 means identical. */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (Math.abs(expected[i]) + ABSOLUTE_FLOOR / RELATIVE_TOLERANCE));
  }
  return worst;
}

describe('optimizers match PyTorch (reference/optimizer-reference.json)', () => {
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
      const parameters = Object.keys(shapes).map((name) => parameter(name, shapes[name], initial[name]));
      const optimizer = createOptimizer(testCase.config as OptimizerConfig, parameters, createJsBackend());
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
          if (error > RELATIVE_TOLERANCE) {
            throw new Error(`${testCase.name}: '${p.name}' after step ${index + 1} is off by ${error.toExponential(2)} relative`);
          }
          worst = Math.max(worst, error);
        }
      });
      const state = optimizer.stateDict();
      expect(Object.keys(state.slots).sort()).toEqual(Object.keys(testCase.finalSlots).sort());
      for (const [key, expected] of Object.entries(testCase.finalSlots as Record<string, number[]>)) {
        expect(relativeError(state.slots[key], expected), key).toBeLessThan(RELATIVE_TOLERANCE);
      }
      expect(state.step).toBe(testCase.steps.length);
      // Sanity: the optimizer really moved the parameters, so the comparison above means something.
      expect(relativeError(parameters[0].value.data, initial[parameters[0].name])).toBeGreaterThan(1e-3);
      expect(worst).toBeLessThan(RELATIVE_TOLERANCE);
    });
  }
});

import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend/backend.js';
import { createJsBackend } from '../backend/index.js';
import type { Parameter } from '../parameter.js';
import { Tensor } from '../tensor.js';
import { createOptimizer } from './create-optimizer.js';
import type { OptimizerConfig } from './types.js';

/** A reference backend that counts the calls optimizers make. */
function countingBackend(): { backend: Backend; calls: Map<string, number> } {
  const js = createJsBackend();
  const calls = new Map<string, number>();
  const count = (name: string) => calls.set(name, (calls.get(name) ?? 0) + 1);
  const backend: Backend = {
    ...js,
    allocate(length) {
      count('allocate');
      return js.allocate(length);
    },
    sgdUpdate(...args) {
      count('sgdUpdate');
      js.sgdUpdate(...args);
    },
    rmspropUpdate(...args) {
      count('rmspropUpdate');
      js.rmspropUpdate(...args);
    },
    adamUpdate(...args) {
      count('adamUpdate');
      js.adamUpdate(...args);
    },
    sumOfSquares(x, n) {
      count('sumOfSquares');
      return js.sumOfSquares(x, n);
    },
    scale(x, n, s) {
      count('scale');
      js.scale(x, n, s);
    },
  };
  return { backend, calls };
}

const parameters: Parameter[] = ['0.weight', '0.bias', '2.weight'].map((name) => ({
  name,
  value: new Tensor([4], Float32Array.of(1, 2, 3, 4)),
  grad: new Tensor([4], Float32Array.of(10, -20, 30, -40)),
}));

describe('optimizers and the backend', () => {
  const cases: Array<[OptimizerConfig, string, number]> = [
    [{ type: 'sgd', lr: 0.01 }, 'sgdUpdate', 0],
    [{ type: 'momentum', lr: 0.01 }, 'sgdUpdate', 1],
    [{ type: 'rmsprop', lr: 0.01 }, 'rmspropUpdate', 1],
    [{ type: 'adam', lr: 0.01 }, 'adamUpdate', 2],
    [{ type: 'adamw', lr: 0.01, clipNorm: 1 }, 'adamUpdate', 2],
  ];
  for (const [config, kernel, slotsPerParameter] of cases) {
    it(`${config.type}${config.clipNorm ? ' with clipNorm' : ''}: slots allocated once, then one ${kernel} per parameter per step`, () => {
      const { backend, calls } = countingBackend();
      const optimizer = createOptimizer(config, parameters, backend);
      expect(calls.get('allocate') ?? 0).toBe(slotsPerParameter * parameters.length);
      calls.clear();
      for (let step = 0; step < 3; step++) optimizer.step();
      expect(calls.get('allocate')).toBeUndefined();
      expect(calls.get(kernel)).toBe(3 * parameters.length);
      // Clipping: one sumOfSquares per parameter per step, and scales when the norm is over the limit (the first step here).
      expect(calls.get('sumOfSquares')).toBe(config.clipNorm ? 3 * parameters.length : undefined);
      if (config.clipNorm) expect(calls.get('scale')).toBeGreaterThanOrEqual(parameters.length);
      else expect(calls.get('scale')).toBeUndefined();
    });
  }
});

describe('optimizer.dispose', () => {
  it('releases every slot buffer it allocated, once, and refuses to step afterwards', () => {
    const js = createJsBackend();
    const allocated: Float32Array[] = [];
    const released: Float32Array[] = [];
    const backend: Backend = {
      ...js,
      allocate(length) {
        const buffer = js.allocate(length);
        allocated.push(buffer);
        return buffer;
      },
      release(buffer) {
        released.push(buffer);
      },
    };
    const optimizer = createOptimizer({ type: 'adam', lr: 0.01 }, parameters, backend);
    expect(allocated).toHaveLength(2 * parameters.length);
    optimizer.dispose?.();
    optimizer.dispose?.();
    expect(released).toHaveLength(allocated.length);
    expect(new Set(released)).toEqual(new Set(allocated));
    expect(() => optimizer.step()).toThrow(/after dispose/);
  });
});

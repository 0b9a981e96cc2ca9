import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../backend/index.js';
import type { Parameter } from '../parameter.js';
import { Tensor } from '../tensor.js';
import { createOptimizer } from './create-optimizer.js';
import type { OptimizerConfig } from './types.js';

// Worked by hand on one scalar parameter starting at p = 1, independent of the PyTorch fixture.

function scalar(value = 1): Parameter {
  return { name: 'w', value: new Tensor([1], Float32Array.of(value)), grad: new Tensor([1]) };
}

/** Runs one step per gradient and returns the parameter after each. */
function trajectory(config: OptimizerConfig, grads: number[], start = 1): number[] {
  const p = scalar(start);
  const optimizer = createOptimizer(config, [p], createJsBackend());
  return grads.map((g) => {
    p.grad.data[0] = g;
    optimizer.step();
    return p.value.data[0];
  });
}

function expectClose(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  for (const [i, a] of actual.entries()) {
    expect(Math.abs(a - expected[i]), `value ${i}: ${a} vs ${expected[i]}`).toBeLessThan(2e-7 * Math.abs(expected[i]) + 1e-9);
  }
}

describe('optimizers by hand-computed arithmetic', () => {
  it('SGD: p −= lr·g', () => {
    // lr 0.1, g = 2 then −1: 1 − 0.2 = 0.8; 0.8 + 0.1 = 0.9
    expectClose(trajectory({ type: 'sgd', lr: 0.1 }, [2, -1]), [0.8, 0.9]);
  });

  it('momentum: v = 0.9v + g; p −= lr·v (default μ for type momentum is 0.9)', () => {
    // g = 1 each step: v = 1, 1.9, 2.71 → p = 0.9, 0.71, 0.439
    expectClose(trajectory({ type: 'momentum', lr: 0.1 }, [1, 1, 1]), [0.9, 0.71, 0.439]);
  });

  it('Nesterov: p −= lr·(g + μ·v) with the updated v', () => {
    // v = 1, 1.9, 2.71; g + 0.9v = 1.9, 2.71, 3.439 → p = 0.81, 0.539, 0.1951
    expectClose(trajectory({ type: 'momentum', lr: 0.1, nesterov: true }, [1, 1, 1]), [0.81, 0.539, 0.1951]);
  });

  it('SGD weight decay adds wd·p to the gradient', () => {
    // g = 0, wd 0.5: p ← p − 0.1·0.5·p = 0.95p → 0.95, 0.9025
    expectClose(trajectory({ type: 'sgd', lr: 0.1, weightDecay: 0.5 }, [0, 0]), [0.95, 0.9025]);
  });

  it("Adam's bias correction: the first step moves by lr whatever the gradient's size", () => {
    // m̂ = g and v̂ = g² at t = 1, so the step is lr·g/(|g| + eps); a tiny eps makes that lr·sign(g).
    // Without the correction it would be lr·0.1·g/(√0.001·|g|) ≈ 0.316·lr.
    for (const g of [1e-4, 0.5, 300]) {
      expectClose(trajectory({ type: 'adam', lr: 0.1, eps: 1e-12 }, [g]), [0.9]);
      expectClose(trajectory({ type: 'adam', lr: 0.1, eps: 1e-12 }, [-g]), [1.1]);
    }
  });

  it('Adam over two steps (β1 0.9, β2 0.999, lr 0.1), g = 0.5 then −0.25', () => {
    // t=1: m = 0.05, v = 0.00025; m̂ = 0.5, v̂ = 0.25 → p = 1 − 0.1·0.5/0.5 = 0.9
    // t=2: m = 0.045 − 0.025 = 0.02, v = 0.00024975 + 0.0000625 = 0.00031225
    //      m̂ = 0.02/(1 − 0.81) = 0.105263158, v̂ = 0.00031225/(1 − 0.998001) = 0.156203102
    //      p = 0.9 − 0.1·0.105263158/√0.156203102 = 0.9 − 0.026633701 = 0.873366299
    const p = scalar();
    const adam = createOptimizer({ type: 'adam', lr: 0.1 }, [p], createJsBackend());
    p.grad.data[0] = 0.5;
    adam.step();
    p.grad.data[0] = -0.25;
    adam.step();
    expectClose([p.value.data[0]], [0.873366299]);
    const { slots } = adam.stateDict();
    expectClose([slots['m/w'][0], slots['v/w'][0]], [0.02, 0.00031225]);
  });

  it('Adam puts weight decay in the gradient (L2); AdamW decays the weight directly', () => {
    // g = 0, wd 0.5, lr 0.1. AdamW: m = v = 0, so only p ← p·(1 − 0.1·0.5) acts: 0.95, 0.9025.
    expectClose(trajectory({ type: 'adamw', lr: 0.1, weightDecay: 0.5 }, [0, 0]), [0.95, 0.9025]);
    // Adam: the gradient becomes wd·p = 0.5 and the first step moves by lr, like any gradient: 0.9.
    expectClose(trajectory({ type: 'adam', lr: 0.1, weightDecay: 0.5 }, [0]), [0.9]);
  });

  it('RMSProp: s = ρs + (1 − ρ)g²; p −= lr·g/(√s + eps)', () => {
    // ρ 0.99, lr 0.01, g = 1: s = 0.01 → p = 1 − 0.01/0.1 = 0.9; s = 0.0199 → p = 0.9 − 0.01/0.141067 = 0.829111895
    expectClose(trajectory({ type: 'rmsprop', lr: 0.01 }, [1, 1]), [0.9, 0.829111895]);
  });

  it('clipNorm rescales the gradient before the update', () => {
    // g = 30 clipped to norm 3 (factor 3/(30 + 1e-6)): SGD lr 0.1 moves by 0.3 instead of 3.
    expectClose(trajectory({ type: 'sgd', lr: 0.1, clipNorm: 3 }, [30]), [0.7]);
  });
});

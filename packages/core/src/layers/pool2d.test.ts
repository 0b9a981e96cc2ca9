import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../backend/index.js';
import type { LayerSpec, Shape } from '../model/spec.js';
import { Rng } from '../random.js';
import { checkLayer } from '../../test/helpers/check-layer.js';
import { float64Backend } from '../../test/helpers/float64.js';
import { avgPool2dLayer, maxPool2dLayer, Pool2d } from './pool2d.js';

type PoolSpec = Extract<LayerSpec, { type: 'max_pool2d' | 'avg_pool2d' }>;
const context = { training: true, rng: new Rng(0) };

describe('MaxPool2d and AvgPool2d', () => {
  it('max-pools 2×2 by hand and routes the gradient to each maximum', () => {
    const pool = new Pool2d({ type: 'max_pool2d', kernelSize: 2 }, [1, 4, 4], createJsBackend());
    const x = Float32Array.from([1, 5, 2, 0, 3, 4, 8, 1, 0, 0, -1, -2, 9, 0, -3, -4]);
    expect(Array.from(pool.forward(x, 1, context).subarray(0, 4))).toEqual([5, 8, 9, -1]);
    const dx = pool.backward(Float32Array.from([1, 2, 3, 4]), 1);
    expect(Array.from(dx.subarray(0, 16))).toEqual([0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 4, 0, 3, 0, 0, 0]);
  });

  it('average-pools with padding counted in the divisor (count_include_pad, PyTorch default)', () => {
    const pool = new Pool2d({ type: 'avg_pool2d', kernelSize: 2, stride: 2, padding: 1 }, [1, 2, 2], createJsBackend());
    const y = pool.forward(Float32Array.from([4, 8, 12, 16]), 1, context);
    expect(pool.outputShape).toEqual([1, 2, 2]);
    expect(Array.from(y.subarray(0, 4))).toEqual([1, 2, 3, 4]);
  });

  const cases: Array<[string, PoolSpec, Shape]> = [
    ['max 2×2 stride 2 on odd sizes (last row and column dropped)', { type: 'max_pool2d', kernelSize: 2 }, [2, 5, 7]],
    ['max 3×3 stride 2 padding 1 (overlapping windows)', { type: 'max_pool2d', kernelSize: 3, stride: 2, padding: 1 }, [2, 7, 6]],
    ['max 3×3 stride 3 (ConvNetJS demo pooling)', { type: 'max_pool2d', kernelSize: 3 }, [1, 14, 14]],
    ['avg 2×2 stride 2', { type: 'avg_pool2d', kernelSize: 2 }, [3, 6, 5]],
    ['avg 3×2 stride (1, 2) padding (1, 1)', { type: 'avg_pool2d', kernelSize: [3, 2], stride: [1, 2], padding: [1, 1] }, [2, 5, 5]],
  ];
  for (const [name, spec, shape] of cases) {
    it(`passes a float64 gradient check: ${name}`, () => {
      for (const [tensor, r] of Object.entries(checkLayer(new Pool2d(spec, shape, float64Backend), 3))) {
        expect(r.error, `${tensor}: ${r.message}`).toBeLessThan(1e-6);
      }
    });
  }

  it('registry: shapes and PyTorch descriptions; padding over half the kernel is refused', () => {
    expect(maxPool2dLayer.outputShape({ type: 'max_pool2d', kernelSize: 3 }, [16, 14, 14])).toEqual([16, 4, 4]);
    expect(maxPool2dLayer.describe({ type: 'max_pool2d', kernelSize: 2 }, [6, 28, 28])).toBe('MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)');
    expect(avgPool2dLayer.describe({ type: 'avg_pool2d', kernelSize: 2 }, [6, 28, 28])).toBe('AvgPool2d(kernel_size=2, stride=2, padding=0)');
    expect(() => maxPool2dLayer.validate({ type: 'max_pool2d', kernelSize: 2, padding: 2 }, [1, 8, 8], 'layer 2 (max_pool2d)')).toThrow(
      /layer 2 \(max_pool2d\): padding 2×2 must be at most half the kernel 2×2/,
    );
    expect(() => maxPool2dLayer.validate({ type: 'max_pool2d', kernelSize: 2 }, [10], 'layer 2 (max_pool2d)')).toThrow(/rank 3/);
  });
});

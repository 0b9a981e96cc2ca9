import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../backend/index.js';
import type { LayerSpec, Shape } from '../model/spec.js';
import { Rng } from '../random.js';
import { checkLayer } from '../../test/helpers/check-layer.js';
import { float64Backend } from '../../test/helpers/float64.js';
import { BatchNorm, batchNorm1dLayer, batchNorm2dLayer } from './batch-norm.js';

type BatchNormSpec = Extract<LayerSpec, { type: 'batch_norm1d' | 'batch_norm2d' }>;

function batchNorm(spec: BatchNormSpec, shape: Shape, backend = float64Backend): BatchNorm {
  const layer = new BatchNorm(spec, shape, backend, '1.');
  const c = spec.numFeatures;
  layer.weight.value.data.set(Array.from({ length: c }, (_, i) => 0.5 + 0.25 * i));
  layer.bias.value.data.set(Array.from({ length: c }, (_, i) => 0.1 * i - 0.2));
  return layer;
}

describe('BatchNorm1d and BatchNorm2d', () => {
  it('normalises with batch statistics in training and moves the running statistics (unbiased variance)', () => {
    const layer = new BatchNorm({ type: 'batch_norm1d', numFeatures: 1 }, [1], createJsBackend(), '1.');
    const y = layer.forward(Float32Array.from([1, 2, 3, 6]), 4, { training: true, rng: new Rng(0) });
    // mean 3, biased variance (4 + 1 + 0 + 9) / 4 = 3.5, unbiased 14 / 3
    const inv = 1 / Math.sqrt(3.5 + 1e-5);
    expect(Array.from(y.subarray(0, 4))).toEqual([-2, -1, 0, 3].map((d) => Math.fround(Math.fround(d * Math.fround(inv)))));
    expect(layer.runningMean.value.data[0]).toBeCloseTo(0.3, 7);
    expect(layer.runningVar.value.data[0]).toBeCloseTo(0.9 + 0.1 * (14 / 3), 6);
    expect(layer.batchesTracked.value.data[0]).toBe(1);
    const evalOut = layer.forward(Float32Array.from([0.3]), 1, { training: false, rng: new Rng(0) });
    expect(evalOut[0]).toBeCloseTo(0, 6);
    expect(layer.batchesTracked.value.data[0]).toBe(1);
  });

  const cases: Array<[string, BatchNormSpec, Shape, boolean]> = [
    ['BatchNorm1d on [features], training', { type: 'batch_norm1d', numFeatures: 5 }, [5], true],
    ['BatchNorm1d on [features, length], training', { type: 'batch_norm1d', numFeatures: 3, momentum: 0.3 }, [3, 4], true],
    ['BatchNorm2d on [channels, 3, 5], training', { type: 'batch_norm2d', numFeatures: 2, eps: 1e-3 }, [2, 3, 5], true],
    ['BatchNorm2d in evaluation mode (running statistics)', { type: 'batch_norm2d', numFeatures: 3 }, [3, 2, 2], false],
  ];
  for (const [name, spec, shape, training] of cases) {
    it(`passes a float64 gradient check: ${name}`, () => {
      const layer = batchNorm(spec, shape);
      layer.runningMean.value.data.set(Array.from({ length: spec.numFeatures }, (_, i) => 0.2 * i));
      layer.runningVar.value.data.set(Array.from({ length: spec.numFeatures }, (_, i) => 0.5 + i));
      for (const [tensor, r] of Object.entries(checkLayer(layer, 4, 1, training))) {
        expect(r.error, `${tensor}: ${r.message}`).toBeLessThan(1e-6);
      }
    });
  }

  it('registry: buffers as PyTorch names them (num_batches_tracked as int64) and descriptions', () => {
    expect(batchNorm2dLayer.buffers!({ type: 'batch_norm2d', numFeatures: 6 }, [6, 4, 4])).toEqual({
      running_mean: { shape: [6], dtype: 'float32' },
      running_var: { shape: [6], dtype: 'float32' },
      num_batches_tracked: { shape: [], dtype: 'int64' },
    });
    expect(batchNorm2dLayer.describe({ type: 'batch_norm2d', numFeatures: 6 }, [6, 4, 4])).toBe(
      'BatchNorm2d(6, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)',
    );
    expect(() => batchNorm1dLayer.validate({ type: 'batch_norm1d', numFeatures: 4 }, [6], 'layer 1 (batch_norm1d)')).toThrow(/numFeatures is 4 but the previous layer gives 6/);
    expect(() => batchNorm2dLayer.validate({ type: 'batch_norm2d', numFeatures: 6 }, [6], 'layer 1 (batch_norm2d)')).toThrow(/\[channels, height, width\]/);
  });
});

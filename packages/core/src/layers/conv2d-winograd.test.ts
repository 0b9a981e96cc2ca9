import { afterEach, describe, expect, it } from 'vitest';
import { createJsBackend } from '../backend/index.js';
import type { Backend } from '../backend/backend.js';
import type { LayerSpec, Shape } from '../model/spec.js';
import { Rng } from '../random.js';
import { checkLayer } from '../../test/helpers/check-layer.js';
import { float64Backend } from '../../test/helpers/float64.js';
import { ElementwiseActivation } from './activations.js';
import { Conv2d } from './conv2d.js';

// Conv2d's Winograd F(2×2, 3×3) path (conv2d-winograd.ts) on the reference backend: a float64
// gradient check, and agreement with the im2col path (forward, dx, dW, db) in float32 on odd
// sizes, padding 0, 1 and 2, with and without the fused ReLU, over one chunk and several.

type Conv2dSpec = Omit<Extract<LayerSpec, { type: 'conv2d' }>, 'kernelSize'> & { kernelSize?: number };
const context = { training: true, rng: new Rng(0) };

function conv(spec: Omit<Conv2dSpec, 'type'>, inputShape: Shape, backend: Backend, winograd: boolean): Conv2d {
  const saved = Conv2d.winograd;
  Conv2d.winograd = winograd;
  try {
    const layer = new Conv2d({ type: 'conv2d', kernelSize: 3, ...spec }, inputShape, backend, { prefix: '0.', rng: new Rng(5) });
    if (layer.bias) layer.bias.value.data.set(Array.from({ length: spec.outChannels }, (_, i) => 0.05 * (i % 7) - 0.15));
    return layer;
  } finally {
    Conv2d.winograd = saved;
  }
}

/** Largest |a − b| / max(1, |b|), and where. */
function worst(a: ArrayLike<number>, b: ArrayLike<number>): { error: number; at: number } {
  let error = 0;
  let at = -1;
  for (let i = 0; i < b.length; i++) {
    const e = Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i]));
    if (!(e <= error)) {
      error = e;
      at = i;
    }
  }
  return { error, at };
}

afterEach(() => {
  Conv2d.columnBlockFloats = 1 << 24;
  Conv2d.winogradChunkFloats = 1 << 20;
});

describe('Conv2d by Winograd F(2×2, 3×3)', () => {
  it('is chosen for 3×3 stride-1 layers of 8 or more channels only', () => {
    const js = createJsBackend();
    expect(conv({ inChannels: 8, outChannels: 8, padding: 1 }, [8, 6, 6], js, true).usesWinograd).toBe(true);
    expect(conv({ inChannels: 8, outChannels: 8, padding: 1 }, [8, 6, 6], js, false).usesWinograd).toBe(false);
    expect(conv({ inChannels: 4, outChannels: 8, padding: 1 }, [4, 6, 6], js, true).usesWinograd).toBe(false);
    expect(conv({ inChannels: 8, outChannels: 8, padding: 1, stride: 2 }, [8, 6, 6], js, true).usesWinograd).toBe(false);
    expect(conv({ inChannels: 8, outChannels: 8, kernelSize: 5, padding: 2 }, [8, 6, 6], js, true).usesWinograd).toBe(false);
  });

  const shapes: Array<[string, Omit<Conv2dSpec, 'type'>, Shape, number]> = [
    ['padding 1, odd height and width', { inChannels: 8, outChannels: 9, padding: 1 }, [8, 5, 7], 2],
    ['no padding, odd output', { inChannels: 9, outChannels: 8 }, [9, 6, 7], 2],
    ['padding 2, no bias', { inChannels: 8, outChannels: 8, padding: 2, bias: false }, [8, 3, 4], 1],
  ];
  for (const [name, spec, shape, rows] of shapes) {
    it(`passes a float64 gradient check: ${name}`, () => {
      const layer = conv(spec, shape, float64Backend, true);
      expect(layer.usesWinograd).toBe(true);
      for (const [tensor, r] of Object.entries(checkLayer(layer, rows))) expect(r.error, `${tensor}: ${r.message}`).toBeLessThan(1e-6);
    });
  }

  // [name, spec, input shape, rows, Conv2d.winogradChunkFloats, Conv2d.columnBlockFloats (the im2col path's)]
  const cases: Array<[string, Omit<Conv2dSpec, 'type'>, Shape, number, number, number]> = [
    ['14×14 padding 1 (cnn-32-64 conv2, fewer channels)', { inChannels: 8, outChannels: 12, padding: 1 }, [8, 14, 14], 3, 1 << 20, 1 << 24],
    ["'same' on 7×9, 13 → 10 channels, batch 5", { inChannels: 13, outChannels: 10, padding: 'same' }, [13, 7, 9], 5, 1 << 20, 1 << 24],
    ['no padding on 9×6', { inChannels: 11, outChannels: 8 }, [11, 9, 6], 4, 1 << 20, 1 << 24],
    ['in chunks of 2 images (2, 2, 1), V recomputed by the backward', { inChannels: 8, outChannels: 9, padding: 1 }, [8, 5, 7], 5, 2 * 16 * 9 * 12, 1 << 24],
    ['in one chunk of 5 images, V kept for the backward', { inChannels: 8, outChannels: 9, padding: 1 }, [8, 5, 7], 5, 5 * 16 * 9 * 12, 1 << 24],
  ];
  for (const [name, spec, shape, rows, chunk, block] of cases) {
    for (const fused of [false, true]) {
      it(`agrees with the im2col path in float32${fused ? ', ReLU fused' : ''}: ${name}`, () => {
        const js = createJsBackend();
        Conv2d.columnBlockFloats = block;
        Conv2d.winogradChunkFloats = chunk;
        const wino = conv(spec, shape, js, true);
        const plain = conv(spec, shape, js, false);
        expect(wino.usesWinograd && !plain.usesWinograd).toBe(true);
        const x = Float32Array.from({ length: rows * wino.inputSize }, (_, i) => Math.sin(1.3 * i + 0.2));
        const dy = Float32Array.from({ length: rows * wino.outputSize }, (_, i) => Math.cos(0.7 * i));
        const n = rows * wino.outputSize;
        const run = (layer: Conv2d) => {
          const relu = new ElementwiseActivation('relu', layer.outputShape, js);
          const y = (fused ? layer.forwardFused(x, rows, relu) : layer.forward(x, rows, context)).slice(0, n);
          // Two backward passes: overwrite, then accumulate (the gradients double).
          layer.backward(fused ? relu.backward(dy, rows) : dy, rows, true, true);
          const dx = layer.backward(fused ? relu.backward(dy, rows) : dy, rows, true, false)!.slice(0, rows * layer.inputSize);
          return { y, dx, dw: layer.weight.grad.data.slice(), db: layer.bias!.grad.data.slice() };
        };
        const a = run(wino);
        const b = run(plain);
        if (fused) expect(b.y.filter((v) => v === 0).length).toBeGreaterThan(n / 4); // the mask matters
        for (const key of ['y', 'dx', 'dw', 'db'] as const) {
          const { error, at } = worst(a[key], b[key]);
          expect(error, `${key}[${at}]: winograd ${a[key][at]}, im2col ${b[key][at]}`).toBeLessThan(1e-4);
        }
        expect(Math.max(...Array.from(b.dw, Math.abs))).toBeGreaterThan(0.5);
      });
    }
  }
});

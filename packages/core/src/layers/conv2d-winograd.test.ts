import { afterEach, describe, expect, it } from 'vitest';
import { createJsBackend } from '../backend/index.js';
import type { Backend } from '../backend/backend.js';
import type { LayerSpec, Shape } from '../model/spec.js';
import { Rng } from '../random.js';
import { checkLayer } from '../../test/helpers/check-layer.js';
import { float64Backend } from '../../test/helpers/float64.js';
import { ElementwiseActivation } from './activations.js';
import { Conv2d } from './conv2d.js';
import { planesSpread } from './conv2d-winograd.js';

// Conv2d's Winograd F(2×2, 3×3) and F(2×2, 5×5) paths (conv2d-winograd.ts) on the reference backend: a float64
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

describe('Conv2d by Winograd F(2×2, 3×3) and F(2×2, 5×5)', () => {
  it('is chosen for 3×3 and 5×5 stride-1 layers of 8 or more channels only', () => {
    const js = createJsBackend();
    expect(conv({ inChannels: 8, outChannels: 8, padding: 1 }, [8, 6, 6], js, true).usesWinograd).toBe(true);
    expect(conv({ inChannels: 8, outChannels: 8, padding: 1 }, [8, 6, 6], js, false).usesWinograd).toBe(false);
    expect(conv({ inChannels: 4, outChannels: 8, padding: 1 }, [4, 6, 6], js, true).usesWinograd).toBe(false);
    expect(conv({ inChannels: 8, outChannels: 8, padding: 1, stride: 2 }, [8, 6, 6], js, true).usesWinograd).toBe(false);
    expect(conv({ inChannels: 8, outChannels: 8, kernelSize: 5, padding: 2 }, [8, 6, 6], js, true).usesWinograd).toBe(true);
    expect(conv({ inChannels: 12, outChannels: 24, kernelSize: 5, padding: 2 }, [12, 14, 14], js, true).usesWinograd).toBe(true);
    // LeNet-5's second layer: 6 input channels, GEMMs of k = 6 (im2col measured faster on two threads).
    expect(conv({ inChannels: 6, outChannels: 16, kernelSize: 5 }, [6, 14, 14], js, true).usesWinograd).toBe(false);
    expect(conv({ inChannels: 8, outChannels: 4, kernelSize: 5 }, [8, 14, 14], js, true).usesWinograd).toBe(false);
    expect(conv({ inChannels: 8, outChannels: 8, kernelSize: 5, stride: 2 }, [8, 14, 14], js, true).usesWinograd).toBe(false);
    expect(conv({ inChannels: 8, outChannels: 8, kernelSize: 7, padding: 3 }, [8, 14, 14], js, true).usesWinograd).toBe(false);
  });

  const shapes: Array<[string, Omit<Conv2dSpec, 'type'>, Shape, number]> = [
    ['padding 1, odd height and width', { inChannels: 8, outChannels: 9, padding: 1 }, [8, 5, 7], 2],
    ['no padding, odd output', { inChannels: 9, outChannels: 8 }, [9, 6, 7], 2],
    ['padding 2, no bias', { inChannels: 8, outChannels: 8, padding: 2, bias: false }, [8, 3, 4], 1],
    ['5×5, padding 2, odd height and width', { inChannels: 8, outChannels: 8, kernelSize: 5, padding: 2 }, [8, 5, 7], 2],
    ['5×5, no padding, odd output', { inChannels: 9, outChannels: 9, kernelSize: 5 }, [9, 9, 8], 1],
    ['5×5, padding 4, no bias', { inChannels: 8, outChannels: 8, kernelSize: 5, padding: 4, bias: false }, [8, 3, 2], 1],
  ];
  for (const [name, spec, shape, rows] of shapes) {
    it(`passes a float64 gradient check: ${name}`, () => {
      const layer = conv(spec, shape, float64Backend, true);
      expect(layer.usesWinograd).toBe(true);
      // The objective is linear, so the central difference has no truncation error, only the
      // objective's round-off over 2h; F(2×2, 5×5)'s transforms (entries up to 5, 36-term sums)
      // carry ~10× F(2×2, 3×3)'s, seen at 1.3e-6 on a 2e-4 gradient.
      const tolerance = spec.kernelSize === 5 ? 1e-5 : 1e-6;
      for (const [tensor, r] of Object.entries(checkLayer(layer, rows))) expect(r.error, `${tensor}: ${r.message}`).toBeLessThan(tolerance);
    });
  }

  // [name, spec, input shape, rows, Conv2d.winogradChunkFloats, Conv2d.columnBlockFloats (the im2col path's)]
  const cases: Array<[string, Omit<Conv2dSpec, 'type'>, Shape, number, number, number]> = [
    ['14×14 padding 1 (cnn-32-64 conv2, fewer channels)', { inChannels: 8, outChannels: 12, padding: 1 }, [8, 14, 14], 3, 1 << 20, 1 << 24],
    ["'same' on 7×9, 13 → 10 channels, batch 5", { inChannels: 13, outChannels: 10, padding: 'same' }, [13, 7, 9], 5, 1 << 20, 1 << 24],
    ['no padding on 9×6', { inChannels: 11, outChannels: 8 }, [11, 9, 6], 4, 1 << 20, 1 << 24],
    ['in chunks of 2 images (2, 2, 1), V recomputed by the backward', { inChannels: 8, outChannels: 9, padding: 1 }, [8, 5, 7], 5, 2 * 16 * 9 * 12, 1 << 24],
    ['in one chunk of 5 images, V kept for the backward', { inChannels: 8, outChannels: 9, padding: 1 }, [8, 5, 7], 5, 5 * 16 * 9 * 12, 1 << 24],
    ['5×5 14×14 padding 2 (convnetjs-mnist conv2)', { inChannels: 8, outChannels: 16, kernelSize: 5, padding: 2 }, [8, 14, 14], 3, 1 << 20, 1 << 24],
    ['5×5 no padding on 14×14 (lenet5 conv2 with 8 input channels)', { inChannels: 8, outChannels: 16, kernelSize: 5 }, [8, 14, 14], 3, 1 << 20, 1 << 24],
    ["5×5 'same' on 7×9, 13 → 10 channels, batch 5", { inChannels: 13, outChannels: 10, kernelSize: 5, padding: 'same' }, [13, 7, 9], 5, 1 << 20, 1 << 24],
    ['5×5 in chunks of 2 images (2, 2, 1), V recomputed by the backward', { inChannels: 8, outChannels: 9, kernelSize: 5, padding: 1 }, [8, 8, 7], 5, 2 * 36 * 9 * 12, 1 << 24],
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

  it('picks chunks whose Winograd-domain planes spread over the cache sets', () => {
    // LeNet-5's second layer shape at batch 64 in one chunk: 16 channels × 1,600 tiles × 4 bytes = 25 × 4 KiB apart.
    expect(planesSpread(36, 16 * 1600 * 4)).toBe(false);
    expect(planesSpread(36, 16 * 800 * 4)).toBe(false); // 2 KiB modulo 4 KiB: two sets
    expect(planesSpread(36, 16 * 550 * 4)).toBe(true);
    expect(planesSpread(16, 64 * 16 * 49 * 4)).toBe(false); // cnn-32-64's M at 16 images a chunk
    expect(planesSpread(16, 64 * 15 * 49 * 4)).toBe(true);
    expect(planesSpread(36, 16 * 980 * 4)).toBe(true); // convnetjs-mnist's M at batch 20
  });
});

import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../backend/index.js';
import type { LayerSpec, Shape } from '../model/spec.js';
import { Rng } from '../random.js';
import { checkLayer } from '../../test/helpers/check-layer.js';
import { float64Backend } from '../../test/helpers/float64.js';
import { ElementwiseActivation } from './activations.js';
import { Conv2d, conv2dLayer } from './conv2d.js';

type Conv2dSpec = Extract<LayerSpec, { type: 'conv2d' }>;
const context = { training: true, rng: new Rng(0) };

function conv(spec: Omit<Conv2dSpec, 'type'>, inputShape: Shape, backend = float64Backend, seed = 3): Conv2d {
  const layer = new Conv2d({ type: 'conv2d', ...spec }, inputShape, backend, { prefix: '0.', rng: new Rng(seed) });
  if (layer.bias) layer.bias.value.data.set(Array.from({ length: spec.outChannels }, (_, i) => 0.1 * (i + 1) - 0.15));
  return layer;
}

describe('Conv2d', () => {
  it('cross-correlates as PyTorch does: hand-computed 1×3×3 input, 2×2 kernel, stride 1, padding 1', () => {
    const layer = conv({ inChannels: 1, outChannels: 1, kernelSize: 2, padding: 1 }, [1, 3, 3], createJsBackend());
    layer.weight.value.data.set([1, 2, 3, 4]);
    layer.bias!.value.data.set([0.5]);
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const y = layer.forward(x, 1, context);
    expect(layer.outputShape).toEqual([1, 4, 4]);
    // out[oy, ox] = Σ w[i, j]·xpad[oy + i, ox + j] + 0.5, with xpad the input padded by one zero.
    const xpad = (r: number, c: number) => (r >= 1 && r <= 3 && c >= 1 && c <= 3 ? x[(r - 1) * 3 + (c - 1)] : 0);
    const expected: number[] = [];
    for (let oy = 0; oy < 4; oy++) {
      for (let ox = 0; ox < 4; ox++) expected.push(xpad(oy, ox) + 2 * xpad(oy, ox + 1) + 3 * xpad(oy + 1, ox) + 4 * xpad(oy + 1, ox + 1) + 0.5);
    }
    expect(Array.from(y.subarray(0, 16))).toEqual(expected);
    expect(layer.weight.value.shape).toEqual([1, 1, 2, 2]);
  });

  const cases: Array<[string, Omit<Conv2dSpec, 'type'>, Shape, number]> = [
    ['3×3, stride 1, no padding', { inChannels: 2, outChannels: 3, kernelSize: 3 }, [2, 5, 5], 2],
    ["'same' padding, odd sizes", { inChannels: 1, outChannels: 2, kernelSize: 3, padding: 'same' }, [1, 5, 7], 3],
    ['stride 2 with padding 1 on an odd size', { inChannels: 2, outChannels: 2, kernelSize: 3, stride: 2, padding: 1 }, [2, 7, 5], 2],
    ['rectangular kernel, stride (2, 1), padding (0, 2), no bias', { inChannels: 3, outChannels: 2, kernelSize: [2, 3], stride: [2, 1], padding: [0, 2], bias: false }, [3, 5, 4], 2],
    ['stride larger than the kernel (positions skipped)', { inChannels: 1, outChannels: 2, kernelSize: 2, stride: 3 }, [1, 8, 8], 2],
  ];
  for (const [name, spec, shape, rows] of cases) {
    it(`passes a float64 gradient check: ${name}`, () => {
      for (const [tensor, r] of Object.entries(checkLayer(conv(spec, shape), rows))) {
        expect(r.error, `${tensor}: ${r.message}`).toBeLessThan(1e-6);
      }
    });
  }

  it('convolves a large batch in chunks with the same results as one image at a time', () => {
    const backend = createJsBackend();
    // 4×64×64 input, 3×3 kernel (patch 36: the im2col path, not the direct one): 36·62·62 = 138,384
    // floats of im2col per image, so a 16M-float block holds 121 rows.
    const layer = conv({ inChannels: 4, outChannels: 2, kernelSize: 3 }, [4, 64, 64], backend);
    const single = conv({ inChannels: 4, outChannels: 2, kernelSize: 3 }, [4, 64, 64], backend);
    const rows = 130;
    const x = Float32Array.from({ length: rows * 16384 }, (_, i) => Math.sin(i));
    const y = layer.forward(x, rows, context).slice(0, rows * layer.outputSize);
    const dy = Float32Array.from({ length: rows * layer.outputSize }, (_, i) => Math.cos(i));
    const dx = layer.backward(dy, rows, true, true)!.slice(0, rows * 16384);
    single.weight.grad.data.fill(0);
    const ys = new Float32Array(y.length);
    const dxs = new Float32Array(dx.length);
    for (let r = 0; r < rows; r++) {
      ys.set(single.forward(x.subarray(r * 16384, (r + 1) * 16384), 1, context).subarray(0, single.outputSize), r * single.outputSize);
      dxs.set(single.backward(dy.subarray(r * single.outputSize, (r + 1) * single.outputSize), 1, true)!.subarray(0, 16384), r * 16384);
    }
    const firstDifference = (a: Float32Array, b: Float32Array) => a.findIndex((v, i) => v !== b[i]);
    expect(firstDifference(ys, y)).toBe(-1);
    expect(firstDifference(dxs, dx)).toBe(-1);
    const worst = Math.max(...layer.weight.grad.data.map((g, i) => Math.abs(g - single.weight.grad.data[i]) / Math.max(1, Math.abs(g))));
    expect(worst).toBeLessThan(1e-4); // float32 sums over 130 images in another order
  });

  const fusedCases: Array<[string, Omit<Conv2dSpec, 'type'>, Shape]> = [
    ['patch 18 at stride 1: the direct kernels', { inChannels: 2, outChannels: 3, kernelSize: 3, padding: 1 }, [2, 5, 7]],
    ['patch 36: im2col and the GEMMs', { inChannels: 4, outChannels: 3, kernelSize: 3, padding: 1 }, [4, 5, 7]],
  ];
  for (const [name, spec, shape] of fusedCases) it(`with its ReLU fused (the ReLU hands dy through, the layer masks it), the unfused gradients: ${name}`, () => {
    const rows = 3;
    const fused = conv(spec, shape);
    const plain = conv(spec, shape);
    const reluFused = new ElementwiseActivation('relu', fused.outputShape, float64Backend);
    const reluPlain = new ElementwiseActivation('relu', plain.outputShape, float64Backend);
    const x = Float64Array.from({ length: rows * fused.inputSize }, (_, i) => Math.sin(1.7 * i)) as unknown as Float32Array;
    const dy = Float64Array.from({ length: rows * fused.outputSize }, (_, i) => Math.cos(0.3 * i)) as unknown as Float32Array;
    const n = rows * fused.outputSize;
    const yFused = Array.from(fused.forwardFused(x, rows, reluFused).subarray(0, n));
    const yPlain = Array.from(reluPlain.forward(plain.forward(x, rows, context), rows, context).subarray(0, n));
    expect(yFused).toEqual(yPlain);
    expect(yPlain.filter((v) => v === 0).length).toBeGreaterThan(n / 4); // the mask matters
    expect(fused.backward(reluFused.backward(dy, rows), rows, false, true)).toBeNull();
    const dxPlain = Array.from(plain.backward(reluPlain.backward(dy, rows), rows, true, true)!.subarray(0, rows * plain.inputSize));
    const close = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
    expect(close(fused.weight.grad.data, plain.weight.grad.data)).toBeLessThan(1e-12);
    expect(close(fused.bias!.grad.data, plain.bias!.grad.data)).toBeLessThan(1e-12);
    // With the input gradient too (not a first layer), the fused layer masks dy itself first.
    fused.forwardFused(x, rows, reluFused);
    const dxFused = fused.backward(reluFused.backward(dy, rows), rows, true, true)!.subarray(0, rows * fused.inputSize);
    expect(close(dxFused, dxPlain)).toBeLessThan(1e-12);
    expect(close(fused.weight.grad.data, plain.weight.grad.data)).toBeLessThan(1e-12);
  });

  it('registry: shapes, parameter names and the PyTorch description', () => {
    const spec: Conv2dSpec = { type: 'conv2d', inChannels: 1, outChannels: 6, kernelSize: 5, padding: 2 };
    expect(conv2dLayer.outputShape(spec, [1, 28, 28])).toEqual([6, 28, 28]);
    expect(conv2dLayer.parameters(spec, [1, 28, 28])).toEqual({ weight: [6, 1, 5, 5], bias: [6] });
    expect(conv2dLayer.describe(spec, [1, 28, 28])).toBe('Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))');
    expect(conv2dLayer.describe({ ...spec, inChannels: 6, outChannels: 16, padding: 0 }, [6, 14, 14])).toBe('Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))');
  });

  it('registry: refuses what does not fit, naming the field', () => {
    const where = 'layer 0 (conv2d)';
    const spec: Conv2dSpec = { type: 'conv2d', inChannels: 1, outChannels: 4, kernelSize: 3 };
    expect(() => conv2dLayer.validate(spec, [784], where)).toThrow(/layer 0 \(conv2d\): expects an input of rank 3 but gets \[784\]/);
    expect(() => conv2dLayer.validate({ ...spec, inChannels: 3 }, [1, 28, 28], where)).toThrow(/expects 3 input channels but the previous layer gives 1/);
    expect(() => conv2dLayer.validate({ ...spec, kernelSize: 9 }, [1, 4, 4], where)).toThrow(/does not fit the input \[1, 4, 4\]/);
    expect(() => conv2dLayer.validate({ ...spec, kernelSize: 0 }, [1, 4, 4], where)).toThrow(/kernelSize must be a whole number ≥ 1/);
    expect(() => conv2dLayer.validate({ ...spec, kernelSize: 4, padding: 'same' }, [1, 8, 8], where)).toThrow(/'same' needs an odd kernel/);
    expect(() => conv2dLayer.validate({ ...spec, stride: 2, padding: 'same' }, [1, 8, 8], where)).toThrow(/'same' needs stride 1/);
  });
});

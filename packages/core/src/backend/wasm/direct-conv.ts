import type { Backend, WindowGeometry } from '../backend.js';
import type { KernelExports } from './kernel-exports.js';
import type { MemoryArena } from './memory-arena.js';
import type { Staging } from './staging.js';

type DirectConv = Pick<Backend, 'convForward' | 'convWeightGradient'>;

const ceil = (n: number, to: number) => Math.ceil(n / to) * to;

/**
 * The wasm wrappers of the direct convolution (asm/direct-conv.ts). Each call first copies the
 * input into zero-padded planes in a scratch block the wrapper keeps (grown when a larger batch
 * comes, so a training loop allocates nothing after its first batch); rows are `wp` floats wide,
 * room for the kernels' whole-vector reads past the last output column. Buffers outside wasm
 * memory go through `staging`. Stride 1 only; other strides (or a full memory) run the reference.
 */
export function directConvKernels(
  k: KernelExports,
  arena: MemoryArena,
  staging: Staging,
  inside: (view: Float32Array | null) => boolean,
  reference: Backend,
  activationForward: Backend['activationForward'],
): DirectConv {
  let scratch = 0;
  let scratchBytes = 0;
  const scratchFor = (bytes: number): number => {
    if (bytes > scratchBytes) {
      if (scratchBytes > 0) arena.release(scratch);
      const at = arena.tryAllocate(bytes);
      scratch = at ?? 0;
      scratchBytes = at === null ? 0 : bytes;
    }
    return scratchBytes >= bytes ? scratch : -1;
  };
  /** Padded plane sizes for a geometry: hp rows of wp floats. */
  const padded = (g: WindowGeometry) => {
    const hp = g.height + 2 * g.padH;
    const wp = ceil(Math.max(g.width + 2 * g.padW, ceil(g.outW, 16) + g.kernelW + 3), 4);
    return { hp, wp, bytes: g.batch * g.channels * hp * wp * 4 };
  };
  const fits = (g: WindowGeometry) => g.strideH === 1 && g.strideW === 1;
  const sizes = (outChannels: number, g: WindowGeometry) => ({
    input: g.batch * g.channels * g.height * g.width,
    weight: outChannels * g.channels * g.kernelH * g.kernelW,
    output: g.batch * outChannels * g.outH * g.outW,
  });

  /** The forward pass on pointers; false when the scratch block cannot grow. */
  const forward = (relu: boolean, px: number, pw: number, pb: number, py: number, outChannels: number, g: WindowGeometry): boolean => {
    const { hp, wp, bytes } = padded(g);
    const at = scratchFor(bytes);
    if (at < 0) return false;
    k.convPad(px, at, g.batch * g.channels, g.height, g.width, g.padH, g.padW, hp, wp);
    k.convDirectForward(relu ? 1 : 0, at, pw, pb, py, g.batch, g.channels, hp, wp, g.kernelH, g.kernelW, outChannels, g.outH, g.outW);
    return true;
  };

  /** The weight (and bias) gradient on pointers; false when the scratch block cannot grow. */
  const weightGradient = (px: number, pdy: number, py: number, pdw: number, pdb: number, outChannels: number, g: WindowGeometry, accumulate: boolean): boolean => {
    const { hp, wp, bytes } = padded(g);
    const wq = ceil(g.outW, 4);
    const gradientBytes = outChannels * g.outH * wq * 4; // one image's masked gradient
    const sumBytes = outChannels * g.channels * g.kernelH * (g.kernelW + 3) * 16;
    const at = scratchFor(bytes + gradientBytes + sumBytes + outChannels * 8);
    if (at < 0) return false;
    const m = at + bytes;
    const sums = m + gradientBytes;
    k.convPad(px, at, g.batch * g.channels, g.height, g.width, g.padH, g.padW, hp, wp);
    const { batch, channels, kernelH, kernelW, outH, outW } = g;
    k.convDirectWeightGradient(at, pdy, py, m, sums, sums + sumBytes, pdw, pdb, batch, channels, hp, wp, kernelH, kernelW, outChannels, outH, outW, wq, accumulate ? 1 : 0);
    return true;
  };

  return {
    convForward(kind, x, weight, bias, y, outChannels, g, alpha) {
      const relu = kind === 'relu';
      let done = false;
      if (fits(g)) {
        if (inside(x) && inside(weight) && inside(bias) && inside(y)) {
          done = forward(relu, x.byteOffset, weight.byteOffset, bias ? bias.byteOffset : 0, y.byteOffset, outChannels, g);
        } else {
          const n = sizes(outChannels, g);
          const args = [
            { view: x, length: n.input, output: false },
            { view: weight, length: n.weight, output: false },
            { view: bias, length: outChannels, output: false },
            { view: y, length: n.output, output: true },
          ];
          done = staging.run(args, ([px, pw, pb, py]) => forward(relu, px, pw, pb, py, outChannels, g)) ?? false;
        }
      }
      if (!done) return reference.convForward(kind, x, weight, bias, y, outChannels, g, alpha);
      if (!relu && kind !== 'identity') activationForward(kind, y, y, sizes(outChannels, g).output, alpha);
    },
    convWeightGradient(x, dy, y, dWeight, dBias, outChannels, g, accumulate) {
      let done = false;
      if (fits(g)) {
        if (inside(x) && inside(dy) && inside(y) && inside(dWeight) && inside(dBias)) {
          done = weightGradient(x.byteOffset, dy.byteOffset, y ? y.byteOffset : 0, dWeight.byteOffset, dBias ? dBias.byteOffset : 0, outChannels, g, accumulate);
        } else {
          const n = sizes(outChannels, g);
          const args = [
            { view: x, length: n.input, output: false },
            { view: dy, length: n.output, output: false },
            { view: y, length: n.output, output: false },
            { view: dWeight, length: n.weight, output: true },
            { view: dBias, length: outChannels, output: true },
          ];
          done = staging.run(args, ([px, pdy, py, pdw, pdb]) => weightGradient(px, pdy, py, pdw, pdb, outChannels, g, accumulate)) ?? false;
        }
      }
      if (!done) reference.convWeightGradient(x, dy, y, dWeight, dBias, outChannels, g, accumulate);
    },
  };
}

import type { Backend, WindowGeometry } from '../backend.js';
import type { KernelExports } from './kernel-exports.js';
import type { MemoryArena } from './memory-arena.js';

type DirectConv = Pick<Backend, 'convForward' | 'convWeightGradient'>;

const ceil = (n: number, to: number) => Math.ceil(n / to) * to;

/**
 * The wasm wrappers of the direct convolution (asm/direct-conv.ts). Each call first copies the
 * input into zero-padded planes in a scratch block the wrapper keeps (grown when a larger batch
 * comes, so a training loop allocates nothing after its first batch); rows are `wp` floats wide,
 * room for the kernels' whole-vector reads past the last output column. Stride 1 only, and
 * buffers in wasm memory; anything else (or a full memory) runs the reference.
 */
export function directConvKernels(
  k: KernelExports,
  arena: MemoryArena,
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

  return {
    convForward(kind, x, weight, bias, y, outChannels, g, alpha) {
      const { hp, wp, bytes } = padded(g);
      const at = fits(g) && inside(x) && inside(weight) && inside(bias) && inside(y) ? scratchFor(bytes) : -1;
      if (at < 0) return reference.convForward(kind, x, weight, bias, y, outChannels, g, alpha);
      k.convPad(x.byteOffset, at, g.batch * g.channels, g.height, g.width, g.padH, g.padW, hp, wp);
      const fused = kind === 'relu' ? 1 : 0;
      k.convDirectForward(fused, at, weight.byteOffset, bias ? bias.byteOffset : 0, y.byteOffset, g.batch, g.channels, hp, wp, g.kernelH, g.kernelW, outChannels, g.outH, g.outW);
      if (kind !== 'relu' && kind !== 'identity') activationForward(kind, y, y, g.batch * outChannels * g.outH * g.outW, alpha);
    },
    convWeightGradient(x, dy, y, dWeight, dBias, outChannels, g, accumulate) {
      const { hp, wp, bytes } = padded(g);
      const wq = ceil(g.outW, 4);
      const gradientBytes = outChannels * g.outH * wq * 4; // one image's masked gradient
      const sumBytes = outChannels * g.channels * g.kernelH * (g.kernelW + 3) * 16;
      const ok = fits(g) && inside(x) && inside(dy) && inside(y) && inside(dWeight) && inside(dBias);
      const at = ok ? scratchFor(bytes + gradientBytes + sumBytes + outChannels * 8) : -1;
      if (at < 0) return reference.convWeightGradient(x, dy, y, dWeight, dBias, outChannels, g, accumulate);
      const m = at + bytes;
      const sums = m + gradientBytes;
      const biasSums = sums + sumBytes;
      k.convPad(x.byteOffset, at, g.batch * g.channels, g.height, g.width, g.padH, g.padW, hp, wp);
      k.convDirectWeightGradient(
        at,
        dy.byteOffset,
        y ? y.byteOffset : 0,
        m,
        sums,
        biasSums,
        dWeight.byteOffset,
        dBias ? dBias.byteOffset : 0,
        g.batch,
        g.channels,
        hp,
        wp,
        g.kernelH,
        g.kernelW,
        outChannels,
        g.outH,
        g.outW,
        wq,
        accumulate ? 1 : 0,
      );
    },
  };
}

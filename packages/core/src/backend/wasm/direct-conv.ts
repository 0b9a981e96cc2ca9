import type { Backend, WindowGeometry } from '../backend.js';
import type { KernelExports } from './kernel-exports.js';
import { growingBlock, type MemoryArena } from './memory-arena.js';
import type { Staging } from './staging.js';
import type { ThreadPool } from './thread-pool.js';

type DirectConv = Pick<Backend, 'convForward' | 'convWeightGradient' | 'convInputGradient'>;

const ceil = (n: number, to: number) => Math.ceil(n / to) * to;

/**
 * The wasm wrappers of the direct convolution (asm/direct-conv.ts). Each call first copies the
 * input into zero-padded planes in a scratch block the wrapper keeps (grown when a larger batch
 * comes, so a training loop allocates nothing after its first batch); rows are `wp` floats wide,
 * room for the kernels' whole-vector reads past the last output column. Buffers outside wasm
 * memory go through `staging`. Stride 1 only; other strides (or a full memory) run the reference.
 * With a thread pool, the forward pass splits by images and the weight gradient by (output-channel
 * pair, kernel row); either way each value is computed as on one thread, so the bits agree.
 */
export function directConvKernels(
  k: KernelExports,
  arena: MemoryArena,
  staging: Staging,
  inside: (view: Float32Array | null) => boolean,
  reference: Backend,
  activationForward: Backend['activationForward'],
  pool: () => ThreadPool | null,
): DirectConv {
  // The kernels' descriptor (asm/direct-conv.ts: CF_* and WG_* words), written before each call.
  const DESCRIPTOR_WORDS = 24;
  let descriptorAt = -1;
  let descriptor: Int32Array<ArrayBuffer | SharedArrayBuffer> = new Int32Array(0);
  /** The descriptor's words, or null when memory is full. */
  const descriptorWords = (): Int32Array<ArrayBuffer | SharedArrayBuffer> | null => {
    if (descriptorAt < 0) descriptorAt = arena.tryAllocate(DESCRIPTOR_WORDS * 4) ?? -1;
    if (descriptorAt < 0) return null;
    // A shared memory that grew has a new buffer: view it again.
    if (descriptor.buffer !== arena.buffer) descriptor = new Int32Array(arena.buffer, descriptorAt, DESCRIPTOR_WORDS);
    return descriptor;
  };
  const scratchFor = growingBlock(arena);
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
    const { batch, channels, height, width, padH, padW, kernelH, kernelW, outH, outW } = g;
    const w = descriptorWords();
    if (!w) return false;
    // CF_X … CF_OUT_W
    w[0] = px; w[1] = at; w[2] = pw; w[3] = pb; w[4] = py; w[5] = relu ? 1 : 0; w[6] = channels; w[7] = height; w[8] = width;
    w[9] = padH; w[10] = padW; w[11] = hp; w[12] = wp; w[13] = kernelH; w[14] = kernelW; w[15] = outChannels; w[16] = outH; w[17] = outW;
    w[18] = channels * height * width; w[19] = height * width; // CF_IMAGE_STRIDE, CF_PLANE_STRIDE: NCHW
    const d = descriptorAt;
    const flops = 2 * batch * outChannels * channels * kernelH * kernelW * outH * outW;
    if (!pool()?.convDirectForward(d, batch, flops)) k.convDirectForward(d, 0, batch);
    return true;
  };

  /** The weight (and bias) gradient on pointers; false when the scratch block cannot grow. */
  const weightGradient = (px: number, pdy: number, py: number, pdw: number, pdb: number, outChannels: number, g: WindowGeometry, accumulate: boolean): boolean => {
    const { hp, wp, bytes } = padded(g);
    const { batch, channels, height, width, padH, padW, kernelH, kernelW, outH, outW } = g;
    const wq = ceil(outW, 4);
    // Units of (output-channel pair, kernel row); each chunk of them has its block for one image's
    // masked gradient of the pairs it touches (asm chunkPairs: at most ⌊(chunk − 1)/kh⌋ + 2).
    const units = Math.ceil(outChannels / 2) * kernelH;
    const flops = 2 * batch * outChannels * channels * kernelH * kernelW * outH * outW;
    const threads = pool();
    const chunk = threads?.convWeightGradientChunk(units, flops) || units;
    const chunks = Math.ceil(units / chunk);
    const gradientBytes = chunks * (Math.floor((chunk - 1) / kernelH) + 2) * 2 * outH * wq * 4;
    const sumBytes = outChannels * channels * kernelH * (kernelW + 3) * 16;
    const at = scratchFor(bytes + gradientBytes + sumBytes + outChannels * 64);
    if (at < 0) return false;
    const m = at + bytes;
    const sums = m + gradientBytes;
    const w = descriptorWords();
    if (!w) return false;
    // WG_P … WG_CHUNK_UNITS
    w[0] = at; w[1] = pdy; w[2] = py; w[3] = m; w[4] = sums; w[5] = sums + sumBytes; w[6] = pdw; w[7] = pdb; w[8] = batch; w[9] = channels;
    w[10] = hp; w[11] = wp; w[12] = kernelH; w[13] = kernelW; w[14] = outChannels; w[15] = outH; w[16] = outW; w[17] = wq;
    w[18] = accumulate ? 1 : 0; w[19] = chunk;
    const d = descriptorAt;
    if (!threads?.convPad(px, at, batch * channels, height, width, padH, padW, hp, wp)) k.convPad(px, at, batch * channels, height, width, padH, padW, hp, wp);
    if (threads && chunk < units) threads.convDirectWeightGradient(d, units, chunk);
    else k.convDirectWeightGradient(d, 0, units);
    return true;
  };

  /**
   * The input gradient on pointers, as the transposed convolution: channel-major dy (outChannels
   * planes of each image, batch·outH·outW floats apart) convolved by the forward kernel with the
   * flipped weights, padding kernel − 1 − pad, into dx. Each pixel sums its taps in (o, i, j)
   * order of the flipped weights, not the reference's; split by images as the forward pass, so the
   * bits do not depend on the threads. False when the scratch block cannot grow.
   */
  const inputGradient = (pdy: number, pw: number, pdx: number, outChannels: number, g: WindowGeometry): boolean => {
    const { batch, channels, height, width, padH, padW, kernelH, kernelW, outH, outW } = g;
    const t = { ...g, channels: outChannels, height: outH, width: outW, padH: kernelH - 1 - padH, padW: kernelW - 1 - padW, outH: height, outW: width };
    const { hp, wp, bytes } = padded(t);
    const weights = outChannels * channels * kernelH * kernelW;
    const at = scratchFor(bytes + weights * 4);
    if (at < 0) return false;
    const flipped = at + bytes;
    const w = descriptorWords();
    if (!w) return false;
    k.convFlipWeights(pw, flipped, outChannels, channels, kernelH, kernelW);
    w[0] = pdy; w[1] = at; w[2] = flipped; w[3] = 0; w[4] = pdx; w[5] = 0; w[6] = outChannels; w[7] = outH; w[8] = outW;
    w[9] = t.padH; w[10] = t.padW; w[11] = hp; w[12] = wp; w[13] = kernelH; w[14] = kernelW; w[15] = channels; w[16] = height; w[17] = width;
    w[18] = outH * outW; w[19] = batch * outH * outW; // CF_IMAGE_STRIDE, CF_PLANE_STRIDE: channel-major
    const d = descriptorAt;
    const flops = 2 * batch * outChannels * channels * kernelH * kernelW * height * width;
    if (!pool()?.convDirectForward(d, batch, flops)) k.convDirectForward(d, 0, batch);
    return true;
  };
  /** Stride 1, and padding under the kernel (so the transposed convolution's padding is not negative). */
  const fitsTransposed = (g: WindowGeometry) => fits(g) && g.padH < g.kernelH && g.padW < g.kernelW;

  return {
    convInputGradient(dy, weight, dx, outChannels, g) {
      let done = false;
      if (fitsTransposed(g)) {
        if (inside(dy) && inside(weight) && inside(dx)) {
          done = inputGradient(dy.byteOffset, weight.byteOffset, dx.byteOffset, outChannels, g);
        } else {
          const n = sizes(outChannels, g);
          const args = [
            { view: dy, length: n.output, output: false },
            { view: weight, length: n.weight, output: false },
            { view: dx, length: n.input, output: true },
          ];
          done = staging.run(args, ([pdy, pw, pdx]) => inputGradient(pdy, pw, pdx, outChannels, g)) ?? false;
        }
      }
      if (!done) reference.convInputGradient(dy, weight, dx, outChannels, g);
    },
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

import type { Backend, WindowGeometry } from '../backend.js';
import { winogradPoints } from '../js/winograd.js';
import { KERNEL_TABLE } from '../kernel-table.js';
import type { KernelExports } from './kernel-exports.js';
import { growingBlock, type MemoryArena } from './memory-arena.js';
import type { Staging } from './staging.js';
import type { PoolOp } from './pool-ops.js';
import type { ThreadPool } from './thread-pool.js';

type WinogradName = 'winogradInput' | 'winogradOutput' | 'winogradOutputGradient' | 'winogradInputGradient' | 'winogradWeights' | 'winogradWeightGradient';
type Winograd = Pick<Backend, WinogradName>;

/** The channel-split tile transforms (asm/winograd.ts, asm/winograd5.ts), as pool-ops.ts names them. */
export type WinogradSplit = Extract<PoolOp, `winograd${string}Channels`>;

/**
 * The wasm wrappers of the Winograd transforms (asm/winograd.ts for 3×3 kernels, asm/winograd5.ts
 * for 5×5). The four tile transforms run over channels, split across threads by the pool when it has one (each channel computed whole
 * by one thread: the bits do not depend on the thread count), through one padded plane per
 * channel in a scratch block the wrapper keeps (grown when a larger shape comes, so a training
 * loop allocates nothing after its first batch). Buffers outside wasm memory go through
 * `staging`; if even that fails (memory full) the reference runs.
 */
export function winogradKernels(
  k: KernelExports,
  arena: MemoryArena,
  staging: Staging,
  inside: (view: Float32Array | null) => boolean,
  reference: Backend,
  pool: () => ThreadPool | null,
): Winograd {
  const scratchFor = growingBlock(arena);
  /**
   * Scratch for `channels` padded planes (planeBytes of asm/winograd.ts and asm/winograd5.ts: the
   * 5×5 plane has two more rows and a 36-vector tile scratch), -1 when memory is full.
   */
  const planes = (g: WindowGeometry, channels: number): number => {
    const tilesH = (g.outH + 1) >> 1;
    const tilesW = (g.outW + 1) >> 1;
    const wp = 8 * ((tilesW + 3) >> 2) + 4;
    const bytes = g.kernelH === 5 ? (2 * tilesH + 4) * wp * 4 + 36 * 16 : (2 * tilesH + 2) * wp * 4;
    return scratchFor(channels * bytes);
  };
  /** The 3×3 or the 5×5 export of a tile transform. */
  const of = (g: WindowGeometry, three: WinogradSplit, five: WinogradSplit): WinogradSplit => (g.kernelH === 5 ? five : three);
  // The split kernel's arguments, channel range last (preallocated: nothing per call).
  const args = new Float64Array(16);
  const split = (name: WinogradSplit, count: number, channels: number, work: number): void => {
    if (pool()?.winograd(name, args, count, channels, work)) return;
    args[count] = 0;
    args[count + 1] = channels;
    const a = args;
    k[name](a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13]);
  };
  const work = (g: WindowGeometry, channels: number) => winogradPoints(g) * channels * g.batch * ((g.outH + 1) >> 1) * ((g.outW + 1) >> 1);
  const setGeometry = (at: number, g: WindowGeometry): void => {
    args[at] = g.batch;
    args[at + 1] = g.channels;
    args[at + 2] = g.height;
    args[at + 3] = g.width;
    args[at + 4] = g.padH;
    args[at + 5] = g.padW;
    args[at + 6] = g.outH;
    args[at + 7] = g.outW;
  };

  /** An input-side transform (V from x, or dx from dV): source, destination, the scratch planes, the geometry. */
  const inputSide = (name: WinogradSplit, src: number, dst: number, g: WindowGeometry): boolean => {
    const at = planes(g, g.channels);
    if (at < 0) return false;
    args[0] = src;
    args[1] = dst;
    args[2] = at;
    setGeometry(3, g);
    split(name, 11, g.channels, work(g, g.channels));
    return true;
  };
  const input = (px: number, pv: number, g: WindowGeometry): boolean => inputSide(of(g, 'winogradInputChannels', 'winograd5InputChannels'), px, pv, g);
  const inputGradient = (pdv: number, pdx: number, g: WindowGeometry): boolean =>
    inputSide(of(g, 'winogradInputGradientChannels', 'winograd5InputGradientChannels'), pdv, pdx, g);
  const output = (pm: number, pb: number, py: number, relu: boolean, outChannels: number, g: WindowGeometry): boolean => {
    const at = planes(g, outChannels);
    if (at < 0) return false;
    args[0] = relu ? 1 : 0;
    args[1] = pm;
    args[2] = pb;
    args[3] = py;
    args[4] = at;
    args[5] = g.batch;
    args[6] = outChannels;
    args[7] = g.outH;
    args[8] = g.outW;
    split(of(g, 'winogradOutputChannels', 'winograd5OutputChannels'), 9, outChannels, work(g, outChannels));
    return true;
  };
  const outputGradient = (pdy: number, py: number, pdm: number, pdb: number, outChannels: number, g: WindowGeometry, accumulate: boolean): boolean => {
    const at = planes(g, outChannels);
    if (at < 0) return false;
    args[0] = pdy;
    args[1] = py;
    args[2] = pdm;
    args[3] = pdb;
    args[4] = at;
    args[5] = g.batch;
    args[6] = outChannels;
    args[7] = g.outH;
    args[8] = g.outW;
    args[9] = accumulate ? 1 : 0;
    split(of(g, 'winogradOutputGradientChannels', 'winograd5OutputGradientChannels'), 10, outChannels, work(g, outChannels));
    return true;
  };
  const ptr = (view: Float32Array | null): number => (view && view.length > 0 ? view.byteOffset : 0);
  const fits = (g: WindowGeometry) => (g.kernelH === 3 || g.kernelH === 5) && g.kernelW === g.kernelH && g.strideH === 1 && g.strideW === 1;

  return {
    winogradInput(x, v, g) {
      if (fits(g) && inside(x) && inside(v) && input(x.byteOffset, v.byteOffset, g)) return;
      const lengths = KERNEL_TABLE.winogradInput.lengths(x, v, g);
      const args = [
        { view: x, length: lengths[0], output: false },
        { view: v, length: lengths[1], output: true },
      ];
      if (!(fits(g) && staging.run(args, ([px, pv]) => input(px, pv, g)))) reference.winogradInput(x, v, g);
    },
    winogradInputGradient(dv, dx, g) {
      if (fits(g) && inside(dv) && inside(dx) && inputGradient(dv.byteOffset, dx.byteOffset, g)) return;
      const lengths = KERNEL_TABLE.winogradInputGradient.lengths(dv, dx, g);
      const args = [
        { view: dv, length: lengths[0], output: false },
        { view: dx, length: lengths[1], output: true },
      ];
      if (!(fits(g) && staging.run(args, ([pdv, pdx]) => inputGradient(pdv, pdx, g)))) reference.winogradInputGradient(dv, dx, g);
    },
    winogradOutput(m, bias, y, relu, outChannels, g) {
      if (fits(g) && inside(m) && inside(bias) && inside(y) && output(m.byteOffset, ptr(bias), y.byteOffset, relu, outChannels, g)) return;
      const lengths = KERNEL_TABLE.winogradOutput.lengths(m, bias, y, relu, outChannels, g);
      const args = [
        { view: m, length: lengths[0], output: false },
        { view: bias, length: lengths[1], output: false },
        { view: y, length: lengths[2], output: true },
      ];
      if (!(fits(g) && staging.run(args, ([pm, pb, py]) => output(pm, pb, py, relu, outChannels, g)))) reference.winogradOutput(m, bias, y, relu, outChannels, g);
    },
    winogradOutputGradient(dy, y, dm, dBias, outChannels, g, accumulate) {
      if (fits(g) && inside(dy) && inside(y) && inside(dm) && inside(dBias) && outputGradient(dy.byteOffset, ptr(y), dm.byteOffset, ptr(dBias), outChannels, g, accumulate)) return;
      const lengths = KERNEL_TABLE.winogradOutputGradient.lengths(dy, y, dm, dBias, outChannels, g, accumulate);
      const args = [
        { view: dy, length: lengths[0], output: false },
        { view: y, length: lengths[1], output: false },
        { view: dm, length: lengths[2], output: true },
        { view: dBias, length: lengths[3], output: true },
      ];
      const done = fits(g) && staging.run(args, ([pdy, py, pdm, pdb]) => outputGradient(pdy, py, pdm, pdb, outChannels, g, accumulate));
      if (!done) reference.winogradOutputGradient(dy, y, dm, dBias, outChannels, g, accumulate);
    },
    winogradWeights(w, u, outChannels, inChannels, kernel) {
      const transform = kernel === 3 ? k.winogradWeights : kernel === 5 ? k.winograd5Weights : null;
      if (transform && inside(w) && inside(u)) return transform(w.byteOffset, u.byteOffset, outChannels, inChannels);
      const lengths = KERNEL_TABLE.winogradWeights.lengths(w, u, outChannels, inChannels, kernel);
      const args = [
        { view: w, length: lengths[0], output: false },
        { view: u, length: lengths[1], output: true },
      ];
      const done =
        transform &&
        staging.run(args, ([pw, pu]) => {
          transform(pw, pu, outChannels, inChannels);
          return true;
        });
      if (!done) reference.winogradWeights(w, u, outChannels, inChannels, kernel);
    },
    winogradWeightGradient(du, dw, outChannels, inChannels, kernel, accumulate) {
      const transform = kernel === 3 ? k.winogradWeightGradient : kernel === 5 ? k.winograd5WeightGradient : null;
      if (transform && inside(du) && inside(dw)) return transform(du.byteOffset, dw.byteOffset, outChannels, inChannels, accumulate ? 1 : 0);
      const lengths = KERNEL_TABLE.winogradWeightGradient.lengths(du, dw, outChannels, inChannels, kernel, accumulate);
      const args = [
        { view: du, length: lengths[0], output: false },
        { view: dw, length: lengths[1], output: true },
      ];
      const done =
        transform &&
        staging.run(args, ([pdu, pdw]) => {
          transform(pdu, pdw, outChannels, inChannels, accumulate ? 1 : 0);
          return true;
        });
      if (!done) reference.winogradWeightGradient(du, dw, outChannels, inChannels, kernel, accumulate);
    },
  };
}

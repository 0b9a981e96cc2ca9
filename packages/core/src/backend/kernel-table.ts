import type { ActivationKind, Backend, WindowGeometry } from './backend.js';
import { winogradPoints, winogradPointsOf, winogradTiles } from './js/winograd.js';

/**
 * Every kernel of the {@link Backend}, declared once: what each argument is and how many elements
 * each buffer argument spans. A backend with memory of its own (WebAssembly) builds its wrappers
 * from this table — pointers for buffers, 0/1 for booleans, a code for an activation, twelve
 * integers for a window geometry, in the same order as the TypeScript signature — and copies
 * buffers that live elsewhere through scratch memory using the lengths. The mapped types below tie
 * each entry to the Backend signature, so a kernel added to the interface without an entry here
 * (or with the wrong argument count or kind) does not compile.
 */
export type KernelName = Exclude<keyof Backend, 'name' | 'threads' | 'allocate' | 'release'>;

type BufferArg = Float32Array | Int32Array | Uint8Array;

/** 'in' buffers are read, 'out' buffers written (or read and written); the rest are scalars. */
export type ArgKind<T> = [T] extends [WindowGeometry]
  ? 'geometry'
  : [T] extends [ActivationKind]
    ? 'activation'
    : [T] extends [boolean]
      ? 'bool'
      : [T] extends [number]
        ? 'number'
        : [T] extends [BufferArg | null]
          ? 'in' | 'out'
          : never;

/** One kind per parameter (a homomorphic mapping over a type parameter keeps the tuple). */
type ArgKinds<P extends readonly unknown[]> = { readonly [I in keyof P]: ArgKind<P[I]> };

export interface KernelDeclaration<K extends KernelName> {
  readonly args: ArgKinds<Parameters<Backend[K]>>;
  /** Elements each buffer argument spans, in argument order. */
  lengths(...args: Parameters<Backend[K]>): number[];
}

const g = (geometry: WindowGeometry) => ({
  input: geometry.batch * geometry.channels * geometry.height * geometry.width,
  output: geometry.batch * geometry.channels * geometry.outH * geometry.outW,
  columns: geometry.channels * geometry.kernelH * geometry.kernelW * geometry.batch * geometry.outH * geometry.outW,
});

export const KERNEL_TABLE: { readonly [K in KernelName]: KernelDeclaration<K> } = {
  gemm: {
    args: ['bool', 'bool', 'number', 'number', 'number', 'in', 'in', 'out', 'bool'],
    lengths: (_ta, _tb, m, n, k) => [m * k, k * n, m * n],
  },
  gemmBatch: {
    args: ['bool', 'bool', 'number', 'number', 'number', 'number', 'in', 'in', 'out', 'bool'],
    lengths: (_ta, _tb, m, n, k, count) => [count * m * k, count * k * n, count * m * n],
  },
  biasActivationForward: {
    args: ['activation', 'out', 'in', 'out', 'number', 'number', 'number'],
    lengths: (_kind, _z, _bias, _y, rows, cols) => [rows * cols, cols, rows * cols],
  },
  activationForward: { args: ['activation', 'in', 'out', 'number', 'number'], lengths: (_k, _x, _y, n) => [n, n] },
  activationBackward: {
    args: ['activation', 'in', 'in', 'in', 'out', 'number', 'number'],
    lengths: (_k, _x, _y, _dy, _dx, n) => [n, n, n, n],
  },
  biasGradient: {
    args: ['in', 'out', 'number', 'number', 'bool'],
    lengths: (_dz, _db, rows, cols) => [rows * cols, cols],
  },
  softmax: { args: ['in', 'out', 'number', 'number'], lengths: (_x, _y, rows, cols) => [rows * cols, rows * cols] },
  softmaxCrossEntropy: {
    args: ['in', 'in', 'out', 'number', 'number', 'number'],
    lengths: (_l, _lab, _d, rows, cols) => [rows * cols, rows, rows * cols],
  },
  adamUpdate: {
    args: ['out', 'in', 'out', 'out', 'number', 'number', 'number', 'number', 'number', 'number', 'bool', 'number'],
    lengths: (_p, _g, _m, _v, n) => [n, n, n, n],
  },
  sgdUpdate: {
    args: ['out', 'in', 'out', 'number', 'number', 'number', 'bool', 'number'],
    lengths: (_p, _g, _v, n) => [n, n, n],
  },
  rmspropUpdate: {
    args: ['out', 'in', 'out', 'number', 'number', 'number', 'number', 'number'],
    lengths: (_p, _g, _s, n) => [n, n, n],
  },
  sumOfSquares: { args: ['in', 'number'], lengths: (_x, n) => [n] },
  scale: { args: ['out', 'number', 'number'], lengths: (_x, n) => [n] },
  bytesToUnit: { args: ['in', 'out', 'number'], lengths: (_b, _x, n) => [n, n] },
  multiply: { args: ['in', 'in', 'out', 'number'], lengths: (_a, _b, _y, n) => [n, n, n] },
  softmaxBackward: {
    args: ['in', 'in', 'out', 'number', 'number'],
    lengths: (_y, _dy, _dx, rows, cols) => [rows * cols, rows * cols, rows * cols],
  },
  squaredError: {
    args: ['in', 'in', 'in', 'out', 'number', 'number', 'number'],
    lengths: (_y, _t, _labels, _dy, rows, cols) => [rows * cols, rows * cols, rows, rows * cols],
  },
  sigmoidCrossEntropy: {
    args: ['in', 'in', 'in', 'out', 'number', 'number', 'number'],
    lengths: (_z, _t, _labels, _dz, rows, cols) => [rows * cols, rows * cols, rows, rows * cols],
  },
  im2col: { args: ['in', 'out', 'geometry'], lengths: (_x, _col, geometry) => [g(geometry).input, g(geometry).columns] },
  col2im: { args: ['in', 'out', 'geometry'], lengths: (_col, _dx, geometry) => [g(geometry).columns, g(geometry).input] },
  channelMajorToBatch: {
    args: ['in', 'out', 'in', 'number', 'number', 'number'],
    lengths: (_s, _d, _bias, batch, channels, inner) => [batch * channels * inner, batch * channels * inner, channels],
  },
  channelMajorToBatchActivation: {
    args: ['activation', 'in', 'out', 'in', 'number', 'number', 'number', 'number'],
    lengths: (_k, _s, _d, _bias, batch, channels, inner) => [batch * channels * inner, batch * channels * inner, channels],
  },
  batchToChannelMajor: {
    args: ['in', 'out', 'number', 'number', 'number'],
    lengths: (_s, _d, batch, channels, inner) => [batch * channels * inner, batch * channels * inner],
  },
  channelSums: {
    args: ['in', 'out', 'number', 'number', 'number', 'bool'],
    lengths: (_x, _sums, batch, channels, inner) => [batch * channels * inner, channels],
  },
  convOutputGradient: {
    args: ['in', 'in', 'out', 'out', 'number', 'number', 'number', 'bool'],
    lengths: (_dy, _y, _dst, _db, batch, channels, inner) => [batch * channels * inner, batch * channels * inner, batch * channels * inner, channels],
  },
  convForward: {
    args: ['activation', 'in', 'in', 'in', 'out', 'number', 'geometry', 'number'],
    lengths: (_k, _x, _w, _bias, _y, outChannels, geometry) => [
      g(geometry).input,
      outChannels * geometry.channels * geometry.kernelH * geometry.kernelW,
      outChannels,
      geometry.batch * outChannels * geometry.outH * geometry.outW,
    ],
  },
  convWeightGradient: {
    args: ['in', 'in', 'in', 'out', 'out', 'number', 'geometry', 'bool'],
    lengths: (_x, _dy, _y, _dw, _db, outChannels, geometry) => {
      const out = geometry.batch * outChannels * geometry.outH * geometry.outW;
      return [g(geometry).input, out, out, outChannels * geometry.channels * geometry.kernelH * geometry.kernelW, outChannels];
    },
  },
  convInputGradient: {
    args: ['in', 'in', 'out', 'number', 'geometry'],
    lengths: (_dy, _w, _dx, outChannels, geometry) => [
      geometry.batch * outChannels * geometry.outH * geometry.outW,
      outChannels * geometry.channels * geometry.kernelH * geometry.kernelW,
      g(geometry).input,
    ],
  },
  maxPoolForward: {
    args: ['in', 'out', 'out', 'geometry'],
    lengths: (_x, _y, _arg, geometry) => [g(geometry).input, g(geometry).output, g(geometry).output],
  },
  maxPoolBackward: {
    args: ['in', 'in', 'out', 'geometry'],
    lengths: (_dy, _arg, _dx, geometry) => [g(geometry).output, g(geometry).output, g(geometry).input],
  },
  avgPoolForward: { args: ['in', 'out', 'geometry'], lengths: (_x, _y, geometry) => [g(geometry).input, g(geometry).output] },
  avgPoolBackward: { args: ['in', 'out', 'geometry'], lengths: (_dy, _dx, geometry) => [g(geometry).output, g(geometry).input] },
  batchNormForward: {
    args: ['in', 'out', 'out', 'in', 'in', 'out', 'out', 'out', 'out', 'number', 'number', 'number', 'number', 'number', 'bool'],
    lengths: (_x, _y, _xh, _g, _b, _m, _s, _rm, _rv, batch, channels, inner) => {
      const n = batch * channels * inner;
      return [n, n, n, channels, channels, channels, channels, channels, channels];
    },
  },
  batchNormBackward: {
    args: ['in', 'in', 'in', 'in', 'out', 'out', 'out', 'number', 'number', 'number', 'bool', 'bool'],
    lengths: (_dy, _xh, _g, _s, _dx, _dg, _db, batch, channels, inner) => {
      const n = batch * channels * inner;
      return [n, n, channels, channels, n, channels, channels];
    },
  },
  winogradInput: {
    args: ['in', 'out', 'geometry'],
    lengths: (_x, _v, geometry) => [g(geometry).input, winogradPoints(geometry) * geometry.channels * geometry.batch * winogradTiles(geometry)],
  },
  winogradOutput: {
    args: ['in', 'in', 'out', 'bool', 'number', 'geometry'],
    lengths: (_m, _bias, _y, _relu, outChannels, geometry) => [
      winogradPoints(geometry) * outChannels * geometry.batch * winogradTiles(geometry),
      outChannels,
      geometry.batch * outChannels * geometry.outH * geometry.outW,
    ],
  },
  winogradOutputGradient: {
    args: ['in', 'in', 'out', 'out', 'number', 'geometry', 'bool'],
    lengths: (_dy, _y, _dm, _db, outChannels, geometry) => {
      const out = geometry.batch * outChannels * geometry.outH * geometry.outW;
      return [out, out, winogradPoints(geometry) * outChannels * geometry.batch * winogradTiles(geometry), outChannels];
    },
  },
  winogradInputGradient: {
    args: ['in', 'out', 'geometry'],
    lengths: (_dv, _dx, geometry) => [winogradPoints(geometry) * geometry.channels * geometry.batch * winogradTiles(geometry), g(geometry).input],
  },
  winogradWeights: {
    args: ['in', 'out', 'number', 'number', 'number'],
    lengths: (_w, _u, outChannels, inChannels, kernel) => [kernel * kernel * outChannels * inChannels, winogradPointsOf(kernel) * outChannels * inChannels],
  },
  winogradWeightGradient: {
    args: ['in', 'out', 'number', 'number', 'number', 'bool'],
    lengths: (_du, _dw, outChannels, inChannels, kernel) => [winogradPointsOf(kernel) * outChannels * inChannels, kernel * kernel * outChannels * inChannels],
  },
};

/** Kernel names in declaration order. */
export const KERNEL_NAMES = Object.keys(KERNEL_TABLE) as KernelName[];

import type { ActivationKind } from '../backend.js';
import type { WasmExports } from './wasm-api.js';

/** The functions asm/kernels.ts exports; pointers are byte offsets, booleans are 0/1. */
export interface KernelExports {
  packBytes(n: number): number;
  gemm(
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    accumulate: number,
    pack: number,
  ): void;
  /** `count` GEMMs over back-to-back matrices (asm gemmBatch), with one pack scratch. */
  gemmBatch(transA: number, transB: number, m: number, n: number, k: number, a: number, b: number, c: number, accumulate: number, pack: number, count: number): void;
  biasActivationForward(kind: number, z: number, bias: number, y: number, rows: number, cols: number, alpha: number): void;
  activationForward(kind: number, x: number, y: number, n: number, alpha: number): void;
  activationBackward(kind: number, x: number, y: number, dy: number, dx: number, n: number, alpha: number): void;
  biasGradient(dz: number, dBias: number, rows: number, cols: number, accumulate: number): void;
  softmax(x: number, y: number, rows: number, cols: number): void;
  softmaxCrossEntropy(logits: number, labels: number, dLogits: number, rows: number, cols: number, scale: number): number;
  adamUpdate(
    param: number,
    grad: number,
    m: number,
    v: number,
    n: number,
    stepSize: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    invSqrtCorrection2: number,
    eps: number,
    decay: number,
    l2: number,
  ): void;
  sgdUpdate(param: number, grad: number, velocity: number, n: number, lr: number, momentum: number, nesterov: number, weightDecay: number): void;
  rmspropUpdate(param: number, grad: number, square: number, n: number, lr: number, rho: number, oneMinusRho: number, eps: number, weightDecay: number): void;
  sumOfSquares(x: number, n: number): number;
  scale(x: number, n: number, s: number): void;
  bytesToUnit(bytes: number, x: number, n: number): void;
  squaredError(y: number, t: number, labels: number, dy: number, rows: number, cols: number, scale: number): number;
  sigmoidCrossEntropy(z: number, t: number, labels: number, dz: number, rows: number, cols: number, scale: number): number;
  /** im2col / col2im for images b0 … b1 − 1 of the batch (a thread's share); geometry as twelve integers. */
  im2colBatches(src: number, dst: number, ...geometryThenRange: number[]): void;
  /** channelMajorToBatchActivation for images b0 … b1 − 1: (kind, src, dst, bias, batch, channels, inner, alpha, b0, b1). */
  channelMajorToBatchActivationBatches(...args: number[]): void;
  col2imBatches(src: number, dst: number, ...geometryThenRange: number[]): void;
  /** Direct convolution (asm/direct-conv.ts): padded copy, forward, weight and bias gradients. */
  convPad(x: number, p: number, planes: number, height: number, width: number, padH: number, padW: number, hp: number, wp: number): void;
  /** Images b0 … b1 − 1 padded and convolved; arguments in a descriptor (asm/direct-conv.ts, CF_*). */
  convDirectForward(descriptor: number, b0: number, b1: number): void;
  /** wt [inC, outC, kh, kw] = w [outC, inC, kh, kw] with channels swapped and taps turned 180° (the input gradient's weights). */
  convFlipWeights(w: number, wt: number, outC: number, inC: number, kh: number, kw: number): void;
  /** Units u0 … u1 − 1 of (output-channel pair, kernel row); arguments in a descriptor (asm/direct-conv.ts, WG_*). */
  convDirectWeightGradient(descriptor: number, u0: number, u1: number): void;
  /** Max pooling (asm/pooling.ts): three buffers, then the geometry's twelve integers. */
  maxPoolForward(x: number, y: number, argmax: number, ...geometry: number[]): void;
  maxPoolBackward(dy: number, argmax: number, dx: number, ...geometry: number[]): void;
  /** Winograd F(2×2, 3×3) transforms (asm/winograd.ts): the tile transforms over channels [c0, c1), the weight transforms whole. */
  winogradInputChannels(...args: number[]): void;
  winogradOutputChannels(...args: number[]): void;
  winogradOutputGradientChannels(...args: number[]): void;
  winogradInputGradientChannels(...args: number[]): void;
  winogradWeights(w: number, u: number, outC: number, inC: number): void;
  winogradWeightGradient(du: number, dw: number, outC: number, inC: number, accumulate: number): void;
  /** Winograd F(2×2, 5×5) transforms (asm/winograd5.ts), the same arguments as the F(2×2, 3×3) ones. */
  winograd5InputChannels(...args: number[]): void;
  winograd5OutputChannels(...args: number[]): void;
  winograd5OutputGradientChannels(...args: number[]): void;
  winograd5InputGradientChannels(...args: number[]): void;
  winograd5Weights(w: number, u: number, outC: number, inC: number): void;
  winograd5WeightGradient(du: number, dw: number, outC: number, inC: number, accumulate: number): void;
}

export function asKernelExports(exports: WasmExports): KernelExports {
  return exports as unknown as KernelExports;
}

/** Activation names as the numbers asm/kernels.ts switches on. */
export const ACTIVATION_CODE: Record<ActivationKind, number> = {
  identity: 0,
  relu: 1,
  leaky_relu: 2,
  sigmoid: 3,
  tanh: 4,
  selu: 5,
};

import type { Backend } from '../backend.js';
import { activationBackward, activationForward, biasActivationForward, biasGradient } from './activations.js';
import { convForward, convInputGradient, convWeightGradient } from './direct-conv.js';
import { gemm, gemmBatch } from './gemm.js';
import { winogradInput, winogradInputGradient, winogradOutput, winogradOutputGradient, winogradWeightGradient, winogradWeights } from './winograd.js';
import { batchNormBackward, batchNormForward } from './batch-norm.js';
import { multiply, sigmoidCrossEntropy, softmaxBackward, squaredError } from './elementwise-losses.js';
import { adamUpdate, rmspropUpdate, sgdUpdate } from './optimizers.js';
import { softmax, softmaxCrossEntropy } from './softmax.js';
import {
  avgPoolBackward,
  avgPoolForward,
  batchToChannelMajor,
  channelMajorToBatch,
  channelMajorToBatchActivation,
  channelSums,
  col2im,
  convOutputGradient,
  im2col,
  maxPoolBackward,
  maxPoolForward,
} from './window-ops.js';

/** The plain-TypeScript reference backend: readable loops over Float32Array, the source of truth. */
export function createJsBackend(): Backend {
  return {
    name: 'js',
    threads: 1,
    allocate: (length) => new Float32Array(length),
    release: () => {},
    gemm,
    gemmBatch,
    biasActivationForward,
    activationForward,
    activationBackward,
    biasGradient,
    softmax,
    softmaxCrossEntropy,
    adamUpdate,
    sgdUpdate,
    rmspropUpdate,
    sumOfSquares(x, n) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += x[i] * x[i];
      return sum;
    },
    scale(x, n, s) {
      for (let i = 0; i < n; i++) x[i] *= s;
    },
    bytesToUnit(bytes, x, n) {
      for (let i = 0; i < n; i++) x[i] = bytes[i] / 255;
    },
    multiply,
    softmaxBackward,
    squaredError,
    sigmoidCrossEntropy,
    im2col,
    col2im,
    channelMajorToBatch,
    channelMajorToBatchActivation,
    batchToChannelMajor,
    channelSums,
    convOutputGradient,
    maxPoolForward,
    maxPoolBackward,
    avgPoolForward,
    avgPoolBackward,
    batchNormForward,
    batchNormBackward,
    convForward,
    convWeightGradient,
    convInputGradient,
    winogradInput,
    winogradOutput,
    winogradOutputGradient,
    winogradInputGradient,
    winogradWeights,
    winogradWeightGradient,
  };
}

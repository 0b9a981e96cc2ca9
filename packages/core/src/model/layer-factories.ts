import type { InitializerName } from '../init.js';
import { DEFAULT_LEAKY_ALPHA, type LayerSpec, type Size2d } from './spec.js';

/**
 * Layers by hand, as in PyTorch: `sequential(dense(784, 128), relu(), dense(128, 10))`. Each
 * factory returns a plain LayerSpec for core's layer registry; sizes the previous layer implies
 * may be left out (`dense(10)`, `conv2d(16, 5)`'s input channels, `batchNorm2d()`) and are filled
 * in by `sequential` / `new Sequential([...])`, which also check the ones given.
 */

/** The input shape of one example: `input(784)` or `input(1, 28, 28)`; needed first when the first layer cannot say it (a convolution). */
export interface InputSpec {
  type: 'input';
  shape: number[];
}

/** A LayerSpec whose input-side size may still be open (filled in from the previous layer's output). */
export type LayerDraft =
  | LayerSpec
  | { type: 'dense'; inputSize?: number; outputSize: number; init?: InitializerName }
  | (Omit<Extract<LayerSpec, { type: 'conv2d' }>, 'inChannels'> & { inChannels?: number })
  | { type: 'batch_norm1d' | 'batch_norm2d'; numFeatures?: number; eps?: number; momentum?: number };

export function input(...shape: number[]): InputSpec {
  return { type: 'input', shape };
}

/** nn.Linear: `dense(inputSize, outputSize)`, or `dense(outputSize)` with the input size taken from the previous layer. */
export function dense(inputSize: number, outputSize?: number, options: { init?: InitializerName } = {}): LayerDraft {
  const sizes = outputSize === undefined ? { outputSize: inputSize } : { inputSize, outputSize };
  return { type: 'dense', ...sizes, ...(options.init ? { init: options.init } : {}) };
}

export interface Conv2dOptions {
  stride?: Size2d;
  padding?: Size2d | 'same';
  bias?: boolean;
  init?: InitializerName;
}

/** nn.Conv2d: `conv2d(inChannels, outChannels, kernelSize, { stride, padding })`; inChannels may be null (taken from the input). */
export function conv2d(inChannels: number | null, outChannels: number, kernelSize: Size2d, options: Conv2dOptions = {}): LayerDraft {
  return { type: 'conv2d', ...(inChannels === null ? {} : { inChannels }), outChannels, kernelSize, ...options };
}

/** nn.MaxPool2d (stride defaults to the kernel size). */
export function maxPool2d(kernelSize: Size2d, stride?: Size2d, padding?: Size2d): LayerSpec {
  return { type: 'max_pool2d', kernelSize, ...(stride === undefined ? {} : { stride }), ...(padding === undefined ? {} : { padding }) };
}

/** nn.AvgPool2d (stride defaults to the kernel size). */
export function avgPool2d(kernelSize: Size2d, stride?: Size2d, padding?: Size2d): LayerSpec {
  return { type: 'avg_pool2d', kernelSize, ...(stride === undefined ? {} : { stride }), ...(padding === undefined ? {} : { padding }) };
}

/** nn.BatchNorm1d over flat features; `numFeatures` defaults to the previous layer's width. */
export function batchNorm1d(numFeatures?: number, options: { eps?: number; momentum?: number } = {}): LayerDraft {
  return { type: 'batch_norm1d', ...(numFeatures === undefined ? {} : { numFeatures }), ...options };
}

/** nn.BatchNorm2d over channels; `numFeatures` defaults to the previous layer's channel count. */
export function batchNorm2d(numFeatures?: number, options: { eps?: number; momentum?: number } = {}): LayerDraft {
  return { type: 'batch_norm2d', ...(numFeatures === undefined ? {} : { numFeatures }), ...options };
}

export const relu = (): LayerSpec => ({ type: 'relu' });
export const leakyRelu = (alpha = DEFAULT_LEAKY_ALPHA): LayerSpec => ({ type: 'leaky_relu', alpha });
export const sigmoid = (): LayerSpec => ({ type: 'sigmoid' });
export const tanh = (): LayerSpec => ({ type: 'tanh' });
export const selu = (): LayerSpec => ({ type: 'selu' });
export const softmax = (): LayerSpec => ({ type: 'softmax' });
export const identity = (): LayerSpec => ({ type: 'identity' });
/** Inverted dropout with drop probability `rate` (nn.Dropout(p)). */
export const dropout = (rate: number): LayerSpec => ({ type: 'dropout', rate });
export const flatten = (): LayerSpec => ({ type: 'flatten' });

import { ConfigError, ErrorCode } from '../errors.js';
import type { InitializerName } from '../init.js';

/** Activation names accepted in architecture strings and layer specs. */
export const ACTIVATIONS = ['relu', 'leaky_relu', 'sigmoid', 'tanh', 'selu', 'softmax', 'identity'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** LeakyReLU's negative slope when none is given (PyTorch's default). */
export const DEFAULT_LEAKY_ALPHA = 0.01;

/** The shape of one example, without the batch dimension: [784], or [channels, height, width]. */
export type Shape = readonly number[];

/** A size given once for both dimensions (5) or as [height, width]. */
export type Size2d = number | readonly [number, number];

/** One entry of a Sequential model; its index in `ModelSpec.layers` is its PyTorch nn.Sequential index. */
export type LayerSpec =
  | { type: 'dense'; inputSize: number; outputSize: number; init?: InitializerName }
  | { type: 'relu' }
  | { type: 'leaky_relu'; alpha: number }
  | { type: 'sigmoid' }
  | { type: 'tanh' }
  | { type: 'selu' }
  | { type: 'softmax' }
  | { type: 'identity' }
  | { type: 'dropout'; rate: number }
  | { type: 'flatten' }
  | {
      type: 'conv2d';
      inChannels: number;
      outChannels: number;
      kernelSize: Size2d;
      /** Default 1. */
      stride?: Size2d;
      /** Zero padding on each side (default 0); 'same' keeps height and width (stride 1, odd kernels). */
      padding?: Size2d | 'same';
      /** Default true. */
      bias?: boolean;
      init?: InitializerName;
    }
  | { type: 'max_pool2d'; kernelSize: Size2d; /** Default: the kernel size. */ stride?: Size2d; padding?: Size2d }
  | { type: 'avg_pool2d'; kernelSize: Size2d; stride?: Size2d; padding?: Size2d }
  | { type: 'batch_norm1d'; numFeatures: number; /** Default 1e-5. */ eps?: number; /** Default 0.1. */ momentum?: number }
  | { type: 'batch_norm2d'; numFeatures: number; eps?: number; momentum?: number };

export type LayerType = LayerSpec['type'];

/** JSON-serialisable description of a Sequential model; stored in checkpoints. */
export interface ModelSpec {
  /** Features per example, e.g. 784: the product of `inputShape`. */
  inputSize: number;
  /** Shape of one example, channels first (e.g. [1, 28, 28]); [inputSize] when absent. */
  inputShape?: number[];
  /** Layers in order. */
  layers: LayerSpec[];
}

export function isActivation(name: string): name is Activation {
  return (ACTIVATIONS as readonly string[]).includes(name);
}

/** Error for an unknown activation name; lists the valid ones. */
export function unknownActivation(name: string, where: string): ConfigError {
  return new ConfigError(
    ErrorCode.UNKNOWN_ACTIVATION,
    `${where}: unknown activation '${name}'; valid activations: ${ACTIVATIONS.join(', ')}`,
  );
}

/** The model's per-example input shape: `inputShape`, or [inputSize] for a flat model. */
export function modelInputShape(spec: ModelSpec): Shape {
  return spec.inputShape ?? [spec.inputSize];
}

/** Number of values in one example of this shape. */
export function shapeSize(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

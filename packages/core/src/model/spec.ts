import { ConfigError, ErrorCode } from '../errors.js';
import { INITIALIZER_NAMES, type InitializerName } from '../init.js';

/** Activation names accepted in architecture strings and layer specs. */
export const ACTIVATIONS = ['relu', 'leaky_relu', 'sigmoid', 'tanh', 'selu', 'softmax', 'identity'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** LeakyReLU's negative slope when none is given (PyTorch's default). */
export const DEFAULT_LEAKY_ALPHA = 0.01;

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
  | { type: 'flatten' };

/** JSON-serialisable description of a Sequential model; stored in checkpoints. */
export interface ModelSpec {
  /** Features per example, e.g. 784. */
  inputSize: number;
  /** Layers in order. */
  layers: LayerSpec[];
}

const LAYER_TYPES = ['dense', ...ACTIVATIONS, 'dropout', 'flatten'] as const;

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

function invalid(message: string): ConfigError {
  return new ConfigError(ErrorCode.INVALID_ARCHITECTURE, message);
}

function isPositiveInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n > 0;
}

/**
 * Checks a spec (e.g. one read from a checkpoint) and returns the feature count it outputs.
 * Throws ConfigError naming the first bad layer.
 */
export function validateModelSpec(spec: ModelSpec): number {
  if (!spec || typeof spec !== 'object' || !Array.isArray(spec.layers)) {
    throw invalid('model spec must be an object { inputSize, layers: [...] }');
  }
  if (!isPositiveInt(spec.inputSize)) throw invalid(`model spec inputSize must be a positive integer, got ${spec.inputSize}`);
  let width = spec.inputSize;
  spec.layers.forEach((layer, i) => {
    const where = `layer ${i} (${layer?.type})`;
    if (!layer || !(LAYER_TYPES as readonly string[]).includes(layer.type)) {
      throw invalid(`layer ${i}: unknown layer type '${layer?.type}'; valid types: ${LAYER_TYPES.join(', ')}`);
    }
    if (layer.type === 'dense') {
      if (!isPositiveInt(layer.inputSize) || !isPositiveInt(layer.outputSize)) {
        throw invalid(`${where}: inputSize and outputSize must be positive integers`);
      }
      if (layer.inputSize !== width) {
        throw invalid(`${where}: expects ${layer.inputSize} inputs but the previous layer gives ${width}`);
      }
      if (layer.init !== undefined && !(INITIALIZER_NAMES as readonly string[]).includes(layer.init)) {
        throw invalid(`${where}: unknown initializer '${layer.init}'; valid initializers: ${INITIALIZER_NAMES.join(', ')}`);
      }
      width = layer.outputSize;
    } else if (layer.type === 'dropout') {
      if (!(typeof layer.rate === 'number' && layer.rate >= 0 && layer.rate < 1)) {
        throw invalid(`${where}: rate must be in [0, 1), got ${layer.rate}`);
      }
    } else if (layer.type === 'leaky_relu') {
      if (!(typeof layer.alpha === 'number' && Number.isFinite(layer.alpha))) {
        throw invalid(`${where}: alpha must be a finite number, got ${layer.alpha}`);
      }
    }
  });
  return width;
}

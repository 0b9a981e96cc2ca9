import { ConfigError, ErrorCode } from './errors.js';
import type { Rng } from './random.js';

/** Weight initializers. Fans follow PyTorch: fanIn = inputs of a unit, fanOut = units fed. */
export const INITIALIZER_NAMES = [
  'he_normal',
  'he_uniform',
  'xavier_normal',
  'xavier_uniform',
  'lecun_normal',
  'standard_normal',
  'zeros',
] as const;
export type InitializerName = (typeof INITIALIZER_NAMES)[number];

/**
 * The initializer that keeps activations' variance steady through the given activation:
 * He for ReLU-like units, LeCun normal for SELU (self-normalising), Xavier otherwise.
 */
export function defaultInitializer(activation: string | undefined): InitializerName {
  switch (activation) {
    case 'relu':
    case 'leaky_relu':
      return 'he_normal';
    case 'selu':
      return 'lecun_normal';
    default:
      return 'xavier_uniform';
  }
}

/** Standard deviation (normal) or bound (uniform) of an initializer; 0 for 'zeros'. */
export function initializerScale(name: InitializerName, fanIn: number, fanOut: number): number {
  switch (name) {
    case 'he_normal':
      return Math.sqrt(2 / fanIn);
    case 'he_uniform':
      return Math.sqrt(6 / fanIn);
    case 'xavier_normal':
      return Math.sqrt(2 / (fanIn + fanOut));
    case 'xavier_uniform':
      return Math.sqrt(6 / (fanIn + fanOut));
    case 'lecun_normal':
      return Math.sqrt(1 / fanIn);
    case 'standard_normal':
      return 1;
    case 'zeros':
      return 0;
    default:
      throw unknownInitializer(name);
  }
}

/** Fills `out` with samples of the named initializer for a layer with the given fans. */
export function initialize(out: Float32Array, name: InitializerName, fanIn: number, fanOut: number, rng: Rng): void {
  const scale = initializerScale(name, fanIn, fanOut);
  if (name === 'zeros') {
    out.fill(0);
  } else if (name.endsWith('_uniform')) {
    for (let i = 0; i < out.length; i++) out[i] = (2 * rng.uniform() - 1) * scale;
  } else {
    for (let i = 0; i < out.length; i++) out[i] = rng.normal() * scale;
  }
}

export function assertInitializer(name: string): asserts name is InitializerName {
  if (!(INITIALIZER_NAMES as readonly string[]).includes(name)) throw unknownInitializer(name);
}

function unknownInitializer(name: string): ConfigError {
  return new ConfigError(
    ErrorCode.INVALID_ARGUMENT,
    `unknown initializer '${name}'; valid initializers: ${INITIALIZER_NAMES.join(', ')}`,
  );
}

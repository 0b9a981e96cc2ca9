import type { Backend } from '../backend/backend.js';
import { ConfigError, ErrorCode, formatShape } from '../errors.js';
import type { LayerSpec, LayerType, Shape, Size2d } from '../model/spec.js';
import type { Rng } from '../random.js';
import type { Layer } from './layer.js';

/** A non-trainable tensor a layer keeps in its state_dict (batch norm's running statistics). */
export interface BufferShape {
  shape: Shape;
  /** How a checkpoint stores it: PyTorch keeps `num_batches_tracked` as int64. */
  dtype: 'float32' | 'int64';
}

/** What `create` gets besides the spec. */
export interface LayerContext {
  /** Position in the Sequential model: names its tensors ('3.weight'). */
  index: number;
  inputShape: Shape;
  backend: Backend;
  /** Source of initial weights. */
  rng: Rng;
  /** The following layer's spec (picks the default initializer). */
  next: LayerSpec | undefined;
}

/**
 * Everything scratchnet knows about one kind of layer, in one place: the model spec's validation,
 * shape inference, parameter count, checkpoint schema, `info` table and PyTorch names all read it.
 */
export interface LayerKind<S extends LayerSpec = LayerSpec> {
  readonly type: S['type'];
  /** Throws ConfigError naming the field (and `where`, e.g. "layer 3 (conv2d)") when the spec does not fit `inputShape`. */
  validate(spec: S, inputShape: Shape, where: string): void;
  outputShape(spec: S, inputShape: Shape): Shape;
  /** Trainable tensors in PyTorch state_dict order, by local name ('weight', 'bias'). */
  parameters(spec: S, inputShape: Shape): Record<string, Shape>;
  /** Non-trainable state_dict tensors, after the parameters. */
  buffers?(spec: S, inputShape: Shape): Record<string, BufferShape>;
  create(spec: S, context: LayerContext): Layer;
  /** One line, as PyTorch prints the module: 'Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))'. */
  describe(spec: S, inputShape: Shape): string;
}

export type LayerRegistry = { readonly [T in LayerType]: LayerKind<Extract<LayerSpec, { type: T }>> };

/** Identity function that types a registry entry. */
export function defineLayer<S extends LayerSpec>(kind: LayerKind<S>): LayerKind<S> {
  return kind;
}

export function invalidLayer(where: string, message: string): ConfigError {
  return new ConfigError(ErrorCode.INVALID_ARCHITECTURE, `${where}: ${message}`);
}

export function isPositiveInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n > 0;
}

/** [height, width] of a size given once or as a pair. */
export function pair(size: Size2d): [number, number] {
  return typeof size === 'number' ? [size, size] : [size[0], size[1]];
}

/** Checks a Size2d field: whole numbers ≥ `min`. */
export function checkSize2d(value: unknown, field: string, where: string, min: number): void {
  const values: unknown[] = typeof value === 'number' ? [value] : Array.isArray(value) && value.length === 2 ? value : [];
  if (values.length === 0 || !values.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= min)) {
    throw invalidLayer(where, `${field} must be a whole number ≥ ${min} or a pair [height, width] of them, got ${JSON.stringify(value)}`);
  }
}

/** Refuses an input of another rank, with a hint on what fixes it. */
export function expectRank(inputShape: Shape, rank: number, where: string, hint: string): void {
  if (inputShape.length !== rank) throw invalidLayer(where, `expects ${rank === 1 ? 'a flat input [features]' : `an input of rank ${rank}`} but gets ${formatShape(inputShape)}; ${hint}`);
}

/** PyTorch's tuple repr: (5, 5). */
export function tuple([a, b]: readonly [number, number]): string {
  return `(${a}, ${b})`;
}

import type { Backend } from '../backend/backend.js';
import { type LayerSpec, type Shape, shapeSize } from '../model/spec.js';
import type { Parameter } from '../parameter.js';
import type { Rng } from '../random.js';
import type { Tensor } from '../tensor.js';

/** What a forward pass may depend on besides its input. */
export interface ForwardContext {
  /** Training mode (dropout active) or evaluation mode. */
  readonly training: boolean;
  /** Source of dropout masks. */
  readonly rng: Rng;
}

/**
 * One entry of a Sequential model, over flat row-major batches.
 *
 * Buffers: a layer owns its output and input-gradient buffers, sized by `reserve(rows)` and
 * reused for every batch of up to that many rows (a smaller batch uses the first rows), so
 * the training step allocates nothing. The input handed to `forward` must stay unchanged until
 * the matching `backward`.
 */
export interface Layer {
  readonly spec: LayerSpec;
  /** Shape of one example in and out, channels first ([1, 28, 28]); batches are flat rows of their size. */
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  /** Values per example in and out (the products of the shapes). */
  readonly inputSize: number;
  readonly outputSize: number;
  /** Trainable parameters, named as in a PyTorch state_dict ('0.weight', '0.bias'). */
  readonly parameters: readonly Parameter[];
  /** Non-trainable state_dict tensors (batch norm's running statistics), after the parameters. */
  readonly buffers: readonly LayerBuffer[];
  /** Makes the buffers hold at least `rows` rows (grows them if needed). */
  reserve(rows: number): void;
  /** Computes the output for the first `rows` rows of `x`; returns the layer's output buffer. */
  forward(x: Float32Array, rows: number, context: ForwardContext): Float32Array;
  /**
   * Given dLoss/dOutput, ADDS into the parameter gradients (or, with `overwriteGradients`,
   * replaces them, which saves zeroing them first) and returns dLoss/dInput (the layer's own
   * buffer, or `dy` itself for pass-through layers), or null when `needInputGradient` is false
   * and the layer could skip it.
   */
  backward(dy: Float32Array, rows: number, needInputGradient: boolean, overwriteGradients?: boolean): Float32Array | null;
  /** Hands every buffer (parameters included) back to the backend; the layer is unusable afterwards. */
  dispose(): void;
}

/** A non-trainable tensor of a layer's state, named as in a PyTorch state_dict ('1.running_mean'). */
export interface LayerBuffer {
  readonly name: string;
  readonly value: Tensor;
  /** How checkpoints store it (PyTorch keeps `num_batches_tracked` as int64). */
  readonly dtype: 'float32' | 'int64';
}

/** A shape from a feature count or a shape. */
export function asShape(shape: number | Shape): Shape {
  return typeof shape === 'number' ? [shape] : [...shape];
}

export { shapeSize };

/** Releases the given backend buffers (null entries are skipped). */
export function releaseBuffers(backend: Backend, ...buffers: Array<Float32Array | null>): void {
  for (const buffer of buffers) if (buffer) backend.release(buffer);
}

/** Returns `buffer` if it holds `length` floats, otherwise a fresh backend buffer that does. */
export function ensureBuffer(backend: Backend, buffer: Float32Array | null, length: number): Float32Array {
  if (buffer && buffer.length >= length) return buffer;
  if (buffer) backend.release(buffer);
  return backend.allocate(length);
}

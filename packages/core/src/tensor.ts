import { getBackend } from './backend/index.js';
import { ConfigError, ErrorCode, ShapeError, formatShape } from './errors.js';
import type { Rng } from './random.js';

export type Shape = readonly number[];

/** Nested arrays of numbers, as accepted by `tensor()`. */
export type NestedArray = number | readonly NestedArray[];

/**
 * A float32 buffer with a row-major shape.
 *
 * Without `data`, a tensor gets ordinary garbage-collected memory. Long-lived buffers that kernels
 * run on every batch (parameters, gradients, activations, optimizer slots) are allocated by their
 * owners with `backend.allocate` instead and released explicitly: a WebAssembly backend's memory
 * is not garbage-collected, so transient tensors (inputs, outputs, copies) must not live there.
 */
export class Tensor {
  readonly shape: Shape;
  readonly data: Float32Array;

  constructor(shape: Shape, data?: Float32Array) {
    const size = shapeSize(shape);
    if (data && data.length !== size) {
      throw new ShapeError('Tensor', `shape ${formatShape(shape)} needs ${size} values, got ${data.length}`);
    }
    this.shape = Object.freeze([...shape]);
    this.data = data ?? new Float32Array(size);
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Same data, new shape (one dimension may be -1). No copy. */
  reshape(shape: Shape): Tensor {
    return new Tensor(resolveReshape(this.shape, shape, this.size), this.data);
  }

  clone(): Tensor {
    const copy = new Tensor(this.shape);
    copy.data.set(this.data);
    return copy;
  }

  /** Value at a multi-index. */
  get(...index: number[]): number {
    return this.data[flatIndex(this.shape, index)];
  }

  /** Plain nested arrays (for printing and tests). */
  toArray(): NestedArray {
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.shape.length) return this.data[offset];
      const stride = shapeSize(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  toString(): string {
    return `Tensor${formatShape(this.shape)}`;
  }
}

export function shapeSize(shape: Shape): number {
  let size = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError('Tensor', `invalid dimension ${d} in shape ${formatShape(shape)}: dimensions are whole numbers ≥ 0`);
    }
    size *= d;
  }
  return size;
}

function flatIndex(shape: Shape, index: number[]): number {
  if (index.length !== shape.length) {
    throw new ShapeError('Tensor.get', `index of length ${index.length} for shape ${formatShape(shape)}`);
  }
  let flat = 0;
  for (let d = 0; d < shape.length; d++) {
    if (index[d] < 0 || index[d] >= shape[d]) {
      throw new ShapeError('Tensor.get', `index ${formatShape(index)} out of range for shape ${formatShape(shape)}`);
    }
    flat = flat * shape[d] + index[d];
  }
  return flat;
}

function resolveReshape(from: Shape, to: Shape, size: number): Shape {
  const unknown = to.filter((d) => d === -1).length;
  if (unknown > 1) throw new ShapeError('reshape', `at most one -1 allowed, got ${formatShape(to)}`);
  const known = to.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const resolved = to.map((d) => (d === -1 ? size / known : d));
  if (resolved.some((d) => !Number.isInteger(d) || d < 0) || shapeSize(resolved) !== size) {
    throw new ShapeError('reshape', `cannot reshape ${formatShape(from)} (${size} values) to ${formatShape(to)}`);
  }
  return resolved;
}

export function zeros(shape: Shape): Tensor {
  return new Tensor(shape);
}

export function ones(shape: Shape): Tensor {
  return full(shape, 1);
}

export function full(shape: Shape, value: number): Tensor {
  const t = new Tensor(shape);
  t.data.fill(value);
  return t;
}

/** A tensor from nested arrays (shape inferred) or from flat values with an explicit shape. */
export function tensor(values: NestedArray | ArrayLike<number>, shape?: Shape): Tensor {
  if (shape) {
    const flat = Float32Array.from(values as ArrayLike<number>);
    return new Tensor(shape, flat);
  }
  const inferred: number[] = [];
  let probe: NestedArray = values as NestedArray;
  while (Array.isArray(probe)) {
    inferred.push(probe.length);
    probe = probe[0] as NestedArray;
  }
  const flat: number[] = [];
  const walk = (v: NestedArray, dim: number): void => {
    if (dim === inferred.length) {
      if (typeof v !== 'number') throw new ShapeError('tensor', 'ragged nested array: rows must all have the same length');
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== inferred[dim]) {
      throw new ShapeError('tensor', `ragged nested array: expected ${inferred[dim]} items at depth ${dim}`);
    }
    for (const item of v) walk(item, dim + 1);
  };
  walk(values as NestedArray, 0);
  return new Tensor(inferred, Float32Array.from(flat));
}

/** Normal samples with the given mean and standard deviation, from a seeded generator. */
export function randomNormal(shape: Shape, rng: Rng, mean = 0, std = 1): Tensor {
  const t = new Tensor(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = mean + std * rng.normal();
  return t;
}

/** Uniform samples in [low, high), from a seeded generator. */
export function randomUniform(shape: Shape, rng: Rng, low = 0, high = 1): Tensor {
  if (!(high > low)) throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `randomUniform: high (${high}) must exceed low (${low})`);
  const t = new Tensor(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = low + (high - low) * rng.uniform();
  return t;
}

/** Matrix product of two rank-2 tensors. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.rank !== 2 || b.rank !== 2 || a.shape[1] !== b.shape[0]) {
    throw new ShapeError('matmul', `cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)}: inner dimensions must match`);
  }
  const [m, k] = a.shape;
  const n = b.shape[1];
  const out = new Tensor([m, n]);
  getBackend().gemm(false, false, m, n, k, a.data, b.data, out.data, false);
  return out;
}

/** Index of the largest value in each row of a rank-2 tensor. */
export function argmaxRows(t: Tensor): Int32Array {
  if (t.rank !== 2) throw new ShapeError('argmaxRows', `expected a rank-2 tensor, got ${formatShape(t.shape)}`);
  const [rows, cols] = t.shape;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (t.data[r * cols + c] > t.data[r * cols + best]) best = c;
    out[r] = best;
  }
  return out;
}

import { ConfigError, ErrorCode, formatShape, ShapeError } from '../errors.js';
import type { Shape } from '../model/spec.js';
import { Tensor } from '../tensor.js';

/** Nested arrays of numbers: rows `number[][]`, images `number[][][]`, … */
export type NestedNumbers = number[] | NestedNumbers[];

/**
 * What `predict` takes: a Tensor [batch, ...inputShape]; nested arrays (`number[][]` rows, or
 * `number[][][]` images); or flat values (a typed array or `number[]`) with an optional `shape`
 * ([batch, ...] or one example's shape; without one the values are rows of the model's input size).
 */
export type PredictInput = Tensor | NestedNumbers | ArrayLike<number> | { data: ArrayLike<number>; shape: readonly number[] };

/**
 * The input as a float32 Tensor with a batch dimension; ShapeError naming what it got and what
 * the model takes when it cannot be one, ConfigError for something that is not numbers.
 */
export function toInputTensor(x: PredictInput, inputShape: Shape, shape?: readonly number[], op = 'predict'): Tensor {
  if (x instanceof Tensor) return x;
  const inputSize = inputShape.reduce((a, b) => a * b, 1);
  if (typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x) && 'data' in x && 'shape' in x) {
    return flat(x.data, x.shape, inputShape, inputSize, op);
  }
  if (Array.isArray(x) && x.length > 0 && Array.isArray(x[0])) return nested(x as NestedNumbers[], op);
  if (Array.isArray(x) || ArrayBuffer.isView(x)) return flat(x as unknown as ArrayLike<number>, shape, inputShape, inputSize, op);
  throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `${op}: expected a Tensor, number[][] rows or a typed array, got ${x === null ? 'null' : typeof x}`);
}

function flat(data: ArrayLike<number>, shape: readonly number[] | undefined, inputShape: Shape, inputSize: number, op: string): Tensor {
  let full: number[];
  if (shape === undefined) {
    if (data.length === 0 || data.length % inputSize !== 0) {
      throw new ShapeError(op, `${data.length} values are not whole examples of the model's input ${formatShape(inputShape)} (${inputSize} values each); give a shape`);
    }
    full = [data.length / inputSize, inputSize];
  } else {
    const size = shape.reduce((a, b) => a * b, 1);
    // One example's shape (no batch dimension) is a batch of one.
    full = size === inputSize && shape.length === inputShape.length && shape.every((d, i) => d === inputShape[i]) ? [1, ...shape] : [...shape];
    if (size !== data.length) throw new ShapeError(op, `shape ${formatShape(shape)} holds ${size} values but ${data.length} were given`);
  }
  return new Tensor(full, data instanceof Float32Array ? data : Float32Array.from(data, (v, i) => number(v, i, op)));
}

function nested(rows: NestedNumbers[], op: string): Tensor {
  const shape: number[] = [];
  for (let level: unknown = rows; Array.isArray(level); level = level[0]) shape.push(level.length);
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  let offset = 0;
  const walk = (value: unknown, depth: number, path: string) => {
    if (depth === shape.length) {
      data[offset] = number(value, offset, op);
      offset++;
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[depth]) {
      const got = Array.isArray(value) ? `${value.length} entries` : typeof value;
      throw new ShapeError(op, `x${path} has ${got} but x${path.replace(/\[\d+\]$/, '[0]')} has ${shape[depth]}: the rows must all have the same length (shape ${formatShape(shape)})`);
    }
    for (const [i, v] of value.entries()) walk(v, depth + 1, `${path}[${i}]`);
  };
  walk(rows, 0, '');
  return new Tensor(shape, data);
}

function number(v: unknown, index: number, op: string): number {
  if (typeof v !== 'number') throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `${op}: value ${index} is ${v === null ? 'null' : typeof v}, not a number`);
  return v;
}

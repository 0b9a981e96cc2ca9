import { ShapeError, formatShape } from './errors.js';
import { Tensor } from './tensor.js';

/**
 * Elementwise and reduction operations on whole tensors, for users and tests. Layers do not use
 * these: they run on flat buffers through the Backend. Each returns a new tensor.
 */

function sameShape(op: string, a: Tensor, b: Tensor): void {
  if (a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new ShapeError(op, `shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} differ; elementwise operations need equal shapes`);
  }
}

function zip(op: string, a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  sameShape(op, a, b);
  const out = new Tensor(a.shape);
  for (let i = 0; i < a.size; i++) out.data[i] = f(a.data[i], b.data[i]);
  return out;
}

/** a + b, elementwise (equal shapes). */
export function add(a: Tensor, b: Tensor): Tensor {
  return zip('add', a, b, (x, y) => x + y);
}

/** a − b, elementwise (equal shapes). */
export function sub(a: Tensor, b: Tensor): Tensor {
  return zip('sub', a, b, (x, y) => x - y);
}

/** a ⊙ b, elementwise (equal shapes). */
export function mul(a: Tensor, b: Tensor): Tensor {
  return zip('mul', a, b, (x, y) => x * y);
}

/** f applied to every value. */
export function map(a: Tensor, f: (x: number) => number): Tensor {
  const out = new Tensor(a.shape);
  for (let i = 0; i < a.size; i++) out.data[i] = f(a.data[i]);
  return out;
}

/** s·a. */
export function scale(a: Tensor, s: number): Tensor {
  return map(a, (x) => x * s);
}

/** Sum of all values (accumulated in float64). */
export function sum(a: Tensor): number {
  let total = 0;
  for (let i = 0; i < a.size; i++) total += a.data[i];
  return total;
}

/** Mean of all values (NaN for an empty tensor). */
export function mean(a: Tensor): number {
  return sum(a) / a.size;
}

/** Column sums of a rank-2 tensor: [rows, cols] → [cols] (accumulated in float64). */
export function sumRows(a: Tensor): Tensor {
  if (a.rank !== 2) throw new ShapeError('sumRows', `expected a rank-2 tensor, got ${formatShape(a.shape)}`);
  const [rows, cols] = a.shape;
  const totals = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) totals[c] += a.data[r * cols + c];
  const out = new Tensor([cols]);
  out.data.set(totals);
  return out;
}

/** Transpose of a rank-2 tensor. */
export function transpose(a: Tensor): Tensor {
  if (a.rank !== 2) throw new ShapeError('transpose', `expected a rank-2 tensor, got ${formatShape(a.shape)}`);
  const [rows, cols] = a.shape;
  const out = new Tensor([cols, rows]);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out.data[c * rows + r] = a.data[r * cols + c];
  return out;
}

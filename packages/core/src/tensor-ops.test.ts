import { describe, expect, it } from 'vitest';
import { ShapeError } from './errors.js';
import { tensor } from './tensor.js';
import { add, map, mean, mul, scale, sub, sum, sumRows, transpose } from './tensor-ops.js';

describe('tensor ops', () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  const b = tensor([[0.5, -1, 2], [0, 1, -2]]);

  it('elementwise add, sub, mul, scale, map', () => {
    expect(add(a, b).toArray()).toEqual([[1.5, 1, 5], [4, 6, 4]]);
    expect(sub(a, b).toArray()).toEqual([[0.5, 3, 1], [4, 4, 8]]);
    expect(mul(a, b).toArray()).toEqual([[0.5, -2, 6], [0, 5, -12]]);
    expect(scale(a, -2).toArray()).toEqual([[-2, -4, -6], [-8, -10, -12]]);
    expect(map(a, (x) => x * x).toArray()).toEqual([[1, 4, 9], [16, 25, 36]]);
  });

  it('reductions and transpose', () => {
    expect(sum(a)).toBe(21);
    expect(mean(a)).toBe(3.5);
    expect(Array.from(sumRows(a).data)).toEqual([5, 7, 9]);
    expect(transpose(a).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
  });

  it('mismatched shapes name the operation and both shapes', () => {
    expect(() => add(a, tensor([[1, 2], [3, 4]]))).toThrow(ShapeError);
    expect(() => mul(a, tensor([1, 2, 3]))).toThrow(/mul: shapes \[2, 3\] and \[3\] differ/);
    expect(() => transpose(tensor([1, 2]))).toThrow(/transpose: expected a rank-2 tensor, got \[2\]/);
  });
});

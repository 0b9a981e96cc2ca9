import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsBackend } from '../js/js-backend.js';
import { firstMismatch } from './compare-buffers.js';
import { createWasmBackend, type WasmBackend } from './wasm-backend.js';
import { check, place, random } from '../../../test/helpers/kernel-buffers.js';

// The GEMM's swapped path: op(A) with at most 16 rows times a row-major B (a convolution's
// forward W·col) is computed as (Bᵀ·op(A)ᵀ)ᵀ, B read in place and the tiles stored transposed.
// It must agree with the js reference, give exactly the bits of the ordinary path (the same
// products summed in the same order), and the same bits on one thread and two.

/** C = op(A)·B (+ C0 when accumulating) on a backend, every buffer in its memory. */
function product(backend: WasmBackend, ta: boolean, m: number, n: number, k: number, a: Float32Array, b: Float32Array, c0: Float32Array, acc: boolean) {
  const c = place(backend, c0, true);
  backend.gemm(ta, false, m, n, k, place(backend, a, true), place(backend, b, true), c, acc);
  return c;
}

describe('gemm with few rows of A times a row-major B (swapped path)', () => {
  const js = createJsBackend();
  let one: WasmBackend;
  let two: WasmBackend;
  beforeAll(async () => {
    one = await createWasmBackend({ threads: 1 });
    two = await createWasmBackend({ threads: 2 });
  });
  afterAll(() => two.dispose());

  const dims = fc.record({
    m: fc.integer({ min: 1, max: 16 }),
    extra: fc.integer({ min: 0, max: 300 }),
    k: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 250, max: 600 })),
    ta: fc.boolean(),
    acc: fc.boolean(),
    seed: fc.integer(),
  });

  it('agrees with the js reference (NN and TN, k across several blocks, accumulate or not)', () => {
    fc.assert(
      fc.property(dims, ({ m, extra, k, ta, acc, seed }) => {
        const n = m + extra;
        const a = random(seed, m * k);
        const b = random(seed + 1, k * n);
        const c0 = random(seed + 2, m * n);
        const expected = c0.slice();
        js.gemm(ta, false, m, n, k, a, b, expected, acc);
        check(`gemm ta=${ta} m=${m} n=${n} k=${k} acc=${acc}`, product(one, ta, m, n, k, a, b, c0, acc), expected, 1e-6 * k, 1e-5);
      }),
      { numRuns: 150 },
    );
  });

  it('gives the bits of the ordinary path: its rows equal the first rows of a 20-row product', () => {
    fc.assert(
      fc.property(dims, ({ m, extra, k, acc, seed }) => {
        const n = m + extra;
        const rows = 20; // past the swapped path's 16 rows: the ordinary, packed-B path
        const a = random(seed, rows * k);
        const b = random(seed + 1, k * n);
        const c0 = random(seed + 2, rows * n);
        const big = product(one, false, rows, n, k, a, b, c0, acc);
        const small = product(one, false, m, n, k, a.subarray(0, m * k), b, c0.subarray(0, m * n), acc);
        const mismatch = firstMismatch(`m=${m} n=${n} k=${k} acc=${acc}`, small, big.subarray(0, m * n), 0, 0);
        expect(mismatch, mismatch ?? '').toBeNull();
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    [16, 6400, 150, false],
    [16, 3920, 200, false],
    [7, 1203, 300, true],
  ])('%i×%i×%i (transA %s) split across two threads matches one thread exactly', (m, n, k, ta) => {
    const a = random(1, m * k);
    const b = random(2, k * n);
    const c0 = random(3, m * n);
    const mismatch = firstMismatch('two threads', product(two, ta, m, n, k, a, b, c0, true), product(one, ta, m, n, k, a, b, c0, true), 0, 0);
    expect(mismatch, mismatch ?? '').toBeNull();
  });
});

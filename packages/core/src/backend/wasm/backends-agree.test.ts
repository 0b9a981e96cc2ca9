import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ActivationKind, Backend } from '../backend.js';
import { createJsBackend } from '../js/js-backend.js';
import { createWasmBackend } from './wasm-backend.js';
import { check, place, random } from '../../../test/helpers/kernel-buffers.js';

// Tolerances (wasm vs the js reference, which accumulates in float64 per product and rounds to
// float32 per element):
// - elementwise kernels: |Δ| ≤ 2e-6 + 2e-5·|ref|  (polynomial exp ≈ 2 ulp, FMA vs mul+add)
// - GEMM: |Δ| ≤ 1e-6·k + 1e-5·|ref| for entries in [-1, 1]: float32 sums of k products in a
//   different order differ by O(k·ulp) at worst.
// - optimizers: |Δ| ≤ 1e-6 + 1e-5·|ref| after one step.
const ELEMENTWISE = { atol: 2e-6, rtol: 2e-5 };
const KINDS: ActivationKind[] = ['identity', 'relu', 'leaky_relu', 'sigmoid', 'tanh', 'selu'];

// Sizes favour 1, odd and non-multiples of 4 and 8, with a few larger ones past the 256 block.
const size = fc.oneof(fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 250, max: 300 }));
const small = fc.oneof(fc.constantFrom(1, 3, 4, 5, 8, 9, 17), fc.integer({ min: 1, max: 40 }));

describe('wasm backend agrees with the js reference', () => {
  const js = createJsBackend();
  let wasm: Backend;
  beforeAll(async () => {
    wasm = await createWasmBackend();
  });

  it('gemm: every transpose combination, accumulate or not, in and out of wasm memory', () => {
    fc.assert(
      fc.property(size, size, size, fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), fc.integer(), (m, n, k, ta, tb, acc, inWasm, seed) => {
        const a = random(seed, m * k);
        const b = random(seed + 1, k * n);
        const c = random(seed + 2, m * n);
        const expected = c.slice();
        js.gemm(ta, tb, m, n, k, a, b, expected, acc);
        const cw = place(wasm, c, inWasm);
        wasm.gemm(ta, tb, m, n, k, place(wasm, a, inWasm), place(wasm, b, inWasm), cw, acc);
        check(`gemm ta=${ta} tb=${tb} m=${m} n=${n} k=${k} acc=${acc} inWasm=${inWasm}`, cw, expected, 1e-6 * k, 1e-5);
      }),
      { numRuns: 120 },
    );
  });

  it('gemmBatch: 1–6 matrices back to back, every transpose combination, accumulate or not, in and out of wasm memory', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), size, size, size, fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), fc.integer(), (count, m, n, k, ta, tb, acc, inWasm, seed) => {
        const a = random(seed, count * m * k);
        const b = random(seed + 1, count * k * n);
        const c = random(seed + 2, count * m * n);
        const expected = c.slice();
        js.gemmBatch(ta, tb, m, n, k, count, a, b, expected, acc);
        const cw = place(wasm, c, inWasm);
        wasm.gemmBatch(ta, tb, m, n, k, count, place(wasm, a, inWasm), place(wasm, b, inWasm), cw, acc);
        check(`gemmBatch count=${count} ta=${ta} tb=${tb} m=${m} n=${n} k=${k} acc=${acc} inWasm=${inWasm}`, cw, expected, 1e-6 * k, 1e-5);
      }),
      { numRuns: 80 },
    );
  });

  it('gemm: few rows of A against rows of B over a long k (a convolution weight gradient: dot-product tiles)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 32 }), fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 24, max: 160 })), fc.integer({ min: 1024, max: 3000 }), fc.boolean(), fc.boolean(), fc.integer(), (m, n, k, acc, inWasm, seed) => {
        const a = random(seed, m * k);
        const b = random(seed + 1, n * k);
        const c = random(seed + 2, m * n);
        const expected = c.slice();
        js.gemm(false, true, m, n, k, a, b, expected, acc);
        const cw = place(wasm, c, inWasm);
        wasm.gemm(false, true, m, n, k, place(wasm, a, inWasm), place(wasm, b, inWasm), cw, acc);
        check(`gemm NT m=${m} n=${n} k=${k} acc=${acc} inWasm=${inWasm}`, cw, expected, 1e-6 * k, 1e-5);
      }),
      { numRuns: 40 },
    );
  });

  it('gemm: 0 × anything leaves or zeroes C', () => {
    const c = wasm.allocate(6).fill(3);
    wasm.gemm(false, false, 2, 3, 0, wasm.allocate(1), wasm.allocate(1), c, true);
    expect(Array.from(c)).toEqual([3, 3, 3, 3, 3, 3]);
    wasm.gemm(false, false, 2, 3, 0, wasm.allocate(1), wasm.allocate(1), c, false);
    expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('biasActivationForward, activationForward and activationBackward for every activation', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), small, size, fc.boolean(), fc.boolean(), fc.integer(), (kind, rows, cols, withBias, inWasm, seed) => {
        const n = rows * cols;
        const z = random(seed, n, -6, 6);
        const bias = withBias ? random(seed + 1, cols) : null;
        const zj = z.slice();
        const yj = new Float32Array(n);
        js.biasActivationForward(kind, zj, bias, yj, rows, cols, 0.01);
        const zw = place(wasm, z, inWasm);
        const yw = place(wasm, new Float32Array(n), inWasm);
        wasm.biasActivationForward(kind, zw, bias ? place(wasm, bias, inWasm) : null, yw, rows, cols, 0.01);
        check(`biasActivationForward ${kind} z`, zw, zj, 0, 0);
        check(`biasActivationForward ${kind} y`, yw, yj, ELEMENTWISE.atol, ELEMENTWISE.rtol);

        const fw = place(wasm, new Float32Array(n), inWasm);
        wasm.activationForward(kind, zw, fw, n, 0.01);
        check(`activationForward ${kind}`, fw, yj, ELEMENTWISE.atol, ELEMENTWISE.rtol);

        const dy = random(seed + 3, n);
        const dxj = new Float32Array(n);
        js.activationBackward(kind, zj, yj, dy, dxj, n, 0.01);
        // dx aliases dy on the wasm side: in-place must work in and out of wasm memory.
        const dyw = place(wasm, dy, inWasm);
        wasm.activationBackward(kind, zw, place(wasm, yj, inWasm), dyw, dyw, n, 0.01);
        check(`activationBackward ${kind}`, dyw, dxj, ELEMENTWISE.atol, ELEMENTWISE.rtol);
      }),
      { numRuns: 150 },
    );
  });

  it('biasGradient, softmax, softmaxCrossEntropy, scale, sumOfSquares', () => {
    fc.assert(
      fc.property(small, size, fc.boolean(), fc.boolean(), fc.integer(), (rows, cols, acc, inWasm, seed) => {
        const n = rows * cols;
        const dz = random(seed, n);
        const db = random(seed + 1, cols);
        const dbj = db.slice();
        js.biasGradient(dz, dbj, rows, cols, acc);
        const dbw = place(wasm, db, inWasm);
        wasm.biasGradient(place(wasm, dz, inWasm), dbw, rows, cols, acc);
        check('biasGradient', dbw, dbj, 1e-6 * rows, 1e-5);

        const logits = random(seed + 2, n, -8, 8);
        const sj = new Float32Array(n);
        js.softmax(logits, sj, rows, cols);
        const sw = place(wasm, logits, inWasm);
        wasm.softmax(sw, sw, rows, cols); // in place
        check('softmax', sw, sj, ELEMENTWISE.atol, ELEMENTWISE.rtol);

        const labels = new Int32Array(rows).map((_, i) => (((seed + i * 7) % cols) + cols) % cols);
        const dj = new Float32Array(n);
        const lossJ = js.softmaxCrossEntropy(logits, labels, dj, rows, cols, 1 / rows);
        const dw = place(wasm, new Float32Array(n), inWasm);
        const lossW = wasm.softmaxCrossEntropy(place(wasm, logits, inWasm), labels, dw, rows, cols, 1 / rows);
        expect(Math.abs(lossW - lossJ)).toBeLessThanOrEqual(1e-5 * rows + 1e-5 * Math.abs(lossJ));
        check('softmaxCrossEntropy dLogits', dw, dj, ELEMENTWISE.atol, ELEMENTWISE.rtol);
        expect(wasm.softmaxCrossEntropy(place(wasm, logits, inWasm), labels, null, rows, cols, 1)).toBeCloseTo(lossJ, 3);

        const x = random(seed + 4, n, -3, 3);
        expect(Math.abs(wasm.sumOfSquares(place(wasm, x, inWasm), n) - js.sumOfSquares(x, n))).toBeLessThanOrEqual(1e-9 * n * 9);
        const xj = x.slice();
        js.scale(xj, n, 0.37);
        const xw = place(wasm, x, inWasm);
        wasm.scale(xw, n, 0.37);
        // s is rounded to float32 once in wasm; js multiplies in float64: ≤ 1 ulp apart.
        check('scale', xw, xj, 0, 2.4e-7);
      }),
      { numRuns: 100 },
    );
  });

  it('adamUpdate (Adam and AdamW), sgdUpdate (plain, momentum, Nesterov), rmspropUpdate', () => {
    fc.assert(
      fc.property(size, fc.integer({ min: 1, max: 50 }), fc.boolean(), fc.boolean(), fc.integer(), (n, step, decoupled, inWasm, seed) => {
        const grad = random(seed, n);
        const param = random(seed + 1, n);
        const m = random(seed + 2, n, -0.1, 0.1);
        const v = random(seed + 3, n, 0, 0.01);
        const [pj, mj, vj] = [param.slice(), m.slice(), v.slice()];
        js.adamUpdate(pj, grad, mj, vj, n, 1e-3, 0.9, 0.999, 1e-8, 0.01, decoupled, step);
        const [pw, mw, vw] = [place(wasm, param, inWasm), place(wasm, m, inWasm), place(wasm, v, inWasm)];
        wasm.adamUpdate(pw, place(wasm, grad, inWasm), mw, vw, n, 1e-3, 0.9, 0.999, 1e-8, 0.01, decoupled, step);
        check('adam m', mw, mj, 1e-7, 1e-5);
        check('adam v', vw, vj, 1e-9, 1e-5);
        check('adam param', pw, pj, 1e-6, 1e-5);

        for (const [momentum, nesterov] of [
          [0, false],
          [0.9, false],
          [0.9, true],
        ] as const) {
          const [ps, vs] = [param.slice(), m.slice()];
          js.sgdUpdate(ps, grad, vs, n, 0.1, momentum, nesterov, 1e-4);
          const [psw, vsw] = [place(wasm, param, inWasm), place(wasm, m, inWasm)];
          wasm.sgdUpdate(psw, place(wasm, grad, inWasm), vsw, n, 0.1, momentum, nesterov, 1e-4);
          check(`sgd momentum=${momentum} nesterov=${nesterov}`, psw, ps, 1e-6, 1e-5);
          if (momentum !== 0) check('sgd velocity', vsw, vs, 1e-6, 1e-5);
        }

        const [pr, sr] = [param.slice(), v.slice()];
        js.rmspropUpdate(pr, grad, sr, n, 1e-3, 0.99, 1e-8, 0);
        const [prw, srw] = [place(wasm, param, inWasm), place(wasm, v, inWasm)];
        wasm.rmspropUpdate(prw, place(wasm, grad, inWasm), srw, n, 1e-3, 0.99, 1e-8, 0);
        check('rmsprop square', srw, sr, 1e-9, 1e-5);
        check('rmsprop param', prw, pr, 1e-6, 1e-5);
      }),
      { numRuns: 80 },
    );
  });

  it('bytesToUnit: every byte value gives fround(byte / 255) bit for bit, any length and offset, in and out of wasm memory', () => {
    const table = Float32Array.from({ length: 256 }, (_, b) => b / 255);
    fc.assert(
      fc.property(size, fc.integer({ min: 0, max: 15 }), fc.boolean(), fc.integer(), (n, offset, inWasm, seed) => {
        const values = Uint8Array.from(random(seed, n, 0, 256), (v) => Math.floor(v));
        const expected = Float32Array.from(values, (b) => table[b]);
        const xj = new Float32Array(n);
        js.bytesToUnit(values, xj, n);
        check('js bytesToUnit', xj, expected, 0, 0);
        // Any byte offset inside a float block (the trainer's stage starts at offset 0).
        const block = inWasm ? wasm.allocate(Math.ceil((n + offset) / 4)) : new Float32Array(Math.ceil((n + offset) / 4));
        const bytes = new Uint8Array(block.buffer, block.byteOffset + offset, n);
        bytes.set(values);
        const xw = place(wasm, new Float32Array(n), inWasm);
        wasm.bytesToUnit(bytes, xw, n);
        check('wasm bytesToUnit', xw, expected, 0, 0);
      }),
      { numRuns: 80 },
    );
    const all = Uint8Array.from({ length: 256 }, (_, b) => b);
    const block = wasm.allocate(64);
    const bytes = new Uint8Array(block.buffer, block.byteOffset, 256);
    bytes.set(all);
    const x = wasm.allocate(256);
    wasm.bytesToUnit(bytes, x, 256);
    check('all 256 byte values', x, table, 0, 0);
  });
});

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend, WindowGeometry } from '../backend.js';
import { createJsBackend } from '../js/js-backend.js';
import { createWasmBackend } from './wasm-backend.js';
import { check, place, random } from '../../../test/helpers/kernel-buffers.js';

// The convolution, pooling, batch-norm and elementwise-loss kernels, wasm vs the js reference.
// Exact (bit-for-bit) where the wasm kernel performs the reference's operations in its order:
// im2col, col2im, the reorders, max pooling (values and argmax, ties and NaNs included), average
// pooling (f64 sums), multiply, softmaxBackward, squaredError. Tolerances elsewhere:
// - channelSums, batch-norm statistics: f64 sums in another order, then rounded to f32 — ≤ 1 ulp
//   of the f32 result, so rtol 2.4e-7 plus a tiny atol for sums that cancel to near 0;
// - batch-norm xhat / y / dx: computed exactly as the reference from statistics that may differ
//   by that ulp: |Δ| ≤ 1e-5 + 1e-5·|ref|;
// - sigmoidCrossEntropy: exp / log1p from different libraries (≤ 1 ulp in f64).

/** Geometries with every output dimension ≥ 1: batch 1–5, channels 1–9, sizes 1–31, kernels 1–5, strides 1–3, padding 0–2. */
const geometry: fc.Arbitrary<WindowGeometry> = fc
  .record({
    batch: fc.integer({ min: 1, max: 5 }),
    channels: fc.integer({ min: 1, max: 9 }),
    height: fc.oneof(fc.constantFrom(1, 2, 3, 7, 14, 28, 31), fc.integer({ min: 1, max: 31 })),
    width: fc.oneof(fc.constantFrom(1, 2, 3, 7, 14, 28, 31), fc.integer({ min: 1, max: 31 })),
    kernelH: fc.integer({ min: 1, max: 5 }),
    kernelW: fc.integer({ min: 1, max: 5 }),
    strideH: fc.integer({ min: 1, max: 3 }),
    strideW: fc.integer({ min: 1, max: 3 }),
    padH: fc.integer({ min: 0, max: 2 }),
    padW: fc.integer({ min: 0, max: 2 }),
  })
  .map((g) => ({
    ...g,
    outH: Math.floor((g.height + 2 * g.padH - g.kernelH) / g.strideH) + 1,
    outW: Math.floor((g.width + 2 * g.padW - g.kernelW) / g.strideW) + 1,
  }))
  .filter((g) => g.outH >= 1 && g.outW >= 1);

/** Pooling geometries: the common 2×2 stride 2 (the vectorised path) as often as random ones. */
const poolGeometry = fc.oneof(
  geometry,
  fc
    .record({ batch: fc.integer({ min: 1, max: 5 }), channels: fc.integer({ min: 1, max: 9 }), height: fc.integer({ min: 2, max: 31 }), width: fc.integer({ min: 2, max: 31 }) })
    .map((g) => ({ ...g, kernelH: 2, kernelW: 2, strideH: 2, strideW: 2, padH: 0, padW: 0, outH: g.height >> 1, outW: g.width >> 1 })),
);

/** Values on a coarse grid (many ties), with a NaN in roughly one of every `nanEvery` entries (0: none). */
function coarse(seed: number, n: number, nanEvery: number): Float32Array {
  const out = random(seed, n).map((v) => Math.round(v * 3) / 3);
  if (nanEvery > 0) for (let i = seed % nanEvery; i < n; i += nanEvery + (i % 3)) out[i] = Number.NaN;
  return out;
}

const sizes = (g: WindowGeometry) => ({
  input: g.batch * g.channels * g.height * g.width,
  output: g.batch * g.channels * g.outH * g.outW,
  columns: g.channels * g.kernelH * g.kernelW * g.batch * g.outH * g.outW,
});

function placeInts(backend: Backend, data: Int32Array, inWasm: boolean): Int32Array {
  if (!inWasm) return data.slice();
  const block = backend.allocate(data.length);
  const view = new Int32Array(block.buffer, block.byteOffset, data.length);
  view.set(data);
  return view;
}

const show = (g: WindowGeometry) => JSON.stringify(g);

describe('wasm backend agrees with the js reference: convolution, pooling, batch norm, elementwise losses', () => {
  const js = createJsBackend();
  let wasm: Backend;
  beforeAll(async () => {
    wasm = await createWasmBackend();
  });

  it('im2col and col2im, exactly, over every buffer in or out of wasm memory', () => {
    fc.assert(
      fc.property(geometry, fc.boolean(), fc.integer(), (g, inWasm, seed) => {
        const n = sizes(g);
        const x = random(seed, n.input);
        const expected = new Float32Array(n.columns);
        js.im2col(x, expected, g);
        const col = place(wasm, random(seed + 1, n.columns, 5, 9), inWasm); // garbage: every entry must be written
        wasm.im2col(place(wasm, x, inWasm), col, g);
        check(`im2col ${show(g)} inWasm=${inWasm}`, col, expected);

        const dcol = random(seed + 2, n.columns);
        const dxj = new Float32Array(n.input);
        js.col2im(dcol, dxj, g);
        const dxw = place(wasm, random(seed + 3, n.input, 5, 9), inWasm);
        wasm.col2im(place(wasm, dcol, inWasm), dxw, g);
        check(`col2im ${show(g)} inWasm=${inWasm}`, dxw, dxj);
      }),
      { numRuns: 300 },
    );
  });

  it('channelMajorToBatch (with and without bias, with a fused ReLU), batchToChannelMajor exactly; channelSums within an ulp', () => {
    const dims = fc.tuple(fc.integer({ min: 1, max: 33 }), fc.integer({ min: 1, max: 17 }), fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(196, 785)));
    fc.assert(
      fc.property(dims, fc.boolean(), fc.boolean(), fc.boolean(), fc.integer(), ([batch, channels, inner], withBias, acc, inWasm, seed) => {
        const n = batch * channels * inner;
        const src = random(seed, n);
        const bias = withBias ? random(seed + 1, channels) : null;
        const expected = new Float32Array(n);
        js.channelMajorToBatch(src, expected, bias, batch, channels, inner);
        const dst = place(wasm, new Float32Array(n), inWasm);
        wasm.channelMajorToBatch(place(wasm, src, inWasm), dst, bias && place(wasm, bias, inWasm), batch, channels, inner);
        check(`channelMajorToBatch ${batch}×${channels}×${inner} bias=${withBias}`, dst, expected);

        // The fused ReLU variant: exactly the two kernels in turn (NaN stays NaN in both).
        src[seed % n] = Number.NaN;
        const activated = new Float32Array(n);
        js.channelMajorToBatchActivation('relu', src, activated, bias, batch, channels, inner, 0);
        const unfused = new Float32Array(n);
        js.channelMajorToBatch(src, unfused, bias, batch, channels, inner);
        js.activationForward('relu', unfused, unfused, n, 0);
        check(`js channelMajorToBatchActivation relu ${batch}×${channels}×${inner}`, activated, unfused);
        const activatedW = place(wasm, new Float32Array(n), inWasm);
        wasm.channelMajorToBatchActivation('relu', place(wasm, src, inWasm), activatedW, bias && place(wasm, bias, inWasm), batch, channels, inner, 0);
        check(`channelMajorToBatchActivation relu ${batch}×${channels}×${inner} bias=${withBias}`, activatedW, activated);

        const back = new Float32Array(n);
        js.batchToChannelMajor(src, back, batch, channels, inner);
        const backW = place(wasm, new Float32Array(n), inWasm);
        wasm.batchToChannelMajor(place(wasm, src, inWasm), backW, batch, channels, inner);
        check(`batchToChannelMajor ${batch}×${channels}×${inner}`, backW, back);

        const start = random(seed + 2, channels);
        const sj = start.slice();
        js.channelSums(src, sj, batch, channels, inner, acc);
        const sw = place(wasm, start, inWasm);
        wasm.channelSums(place(wasm, src, inWasm), sw, batch, channels, inner, acc);
        check(`channelSums ${batch}×${channels}×${inner} acc=${acc}`, sw, sj, 1e-9 * n, 2.4e-7);
      }),
      { numRuns: 200 },
    );
  });

  it('maxPoolForward (values and argmax, ties and NaNs) and maxPoolBackward, exactly', () => {
    fc.assert(
      fc.property(poolGeometry, fc.constantFrom(0, 0, 7, 29), fc.boolean(), fc.integer({ min: 0, max: 1 << 20 }), (g, nanEvery, inWasm, seed) => {
        const n = sizes(g);
        const x = coarse(seed, n.input, nanEvery);
        const yj = new Float32Array(n.output);
        const aj = new Int32Array(n.output);
        js.maxPoolForward(x, yj, aj, g);
        const yw = place(wasm, new Float32Array(n.output), inWasm);
        const aw = placeInts(wasm, new Int32Array(n.output), inWasm);
        wasm.maxPoolForward(place(wasm, x, inWasm), yw, aw, g);
        check(`maxPoolForward y ${show(g)} nanEvery=${nanEvery}`, yw, yj);
        check(`maxPoolForward argmax ${show(g)} nanEvery=${nanEvery}`, aw, aj);

        const dy = random(seed + 1, n.output);
        const dxj = new Float32Array(n.input);
        js.maxPoolBackward(dy, aj, dxj, g);
        const dxw = place(wasm, random(seed + 2, n.input, 5, 9), inWasm);
        wasm.maxPoolBackward(place(wasm, dy, inWasm), placeInts(wasm, aj, inWasm), dxw, g);
        check(`maxPoolBackward ${show(g)}`, dxw, dxj);
      }),
      { numRuns: 300 },
    );
  });

  it('avgPoolForward and avgPoolBackward, exactly', () => {
    fc.assert(
      fc.property(poolGeometry, fc.boolean(), fc.integer(), (g, inWasm, seed) => {
        const n = sizes(g);
        const x = random(seed, n.input);
        const yj = new Float32Array(n.output);
        js.avgPoolForward(x, yj, g);
        const yw = place(wasm, new Float32Array(n.output), inWasm);
        wasm.avgPoolForward(place(wasm, x, inWasm), yw, g);
        check(`avgPoolForward ${show(g)}`, yw, yj);

        const dy = random(seed + 1, n.output);
        const dxj = new Float32Array(n.input);
        js.avgPoolBackward(dy, dxj, g);
        const dxw = place(wasm, random(seed + 2, n.input, 5, 9), inWasm);
        wasm.avgPoolBackward(place(wasm, dy, inWasm), dxw, g);
        check(`avgPoolBackward ${show(g)}`, dxw, dxj);
      }),
      { numRuns: 200 },
    );
  });

  it('batchNormForward and batchNormBackward, training and evaluation, accumulate or not', () => {
    const dims = fc.tuple(fc.integer({ min: 1, max: 17 }), fc.integer({ min: 1, max: 9 }), fc.oneof(fc.constantFrom(1, 3, 4, 5, 49, 196), fc.integer({ min: 1, max: 40 })));
    fc.assert(
      fc.property(dims, fc.boolean(), fc.boolean(), fc.boolean(), fc.integer(), ([batch, channels, inner], training, acc, inWasm, seed) => {
        const n = batch * channels * inner;
        const x = random(seed, n, -2, 3);
        const gamma = random(seed + 1, channels, 0.5, 1.5);
        const beta = random(seed + 2, channels);
        const rm = random(seed + 3, channels);
        const rv = random(seed + 4, channels, 0.5, 2);
        const ref = { y: new Float32Array(n), xhat: new Float32Array(n), mean: new Float32Array(channels), invStd: new Float32Array(channels), rm: rm.slice(), rv: rv.slice() };
        js.batchNormForward(x, ref.y, ref.xhat, gamma, beta, ref.mean, ref.invStd, ref.rm, ref.rv, batch, channels, inner, 0.1, 1e-5, training);
        const p = (data: Float32Array) => place(wasm, data, inWasm);
        const w = { y: p(new Float32Array(n)), xhat: p(new Float32Array(n)), mean: p(new Float32Array(channels)), invStd: p(new Float32Array(channels)), rm: p(rm), rv: p(rv) };
        wasm.batchNormForward(p(x), w.y, w.xhat, p(gamma), p(beta), w.mean, w.invStd, w.rm, w.rv, batch, channels, inner, 0.1, 1e-5, training);
        const label = `batchNorm ${batch}×${channels}×${inner} training=${training}`;
        check(`${label} mean`, w.mean, ref.mean, 1e-12, 2.4e-7);
        check(`${label} invStd`, w.invStd, ref.invStd, 0, 2.4e-7);
        check(`${label} runningMean`, w.rm, ref.rm, 1e-12, 2.4e-7);
        check(`${label} runningVar`, w.rv, ref.rv, 0, 2.4e-7);
        check(`${label} xhat`, w.xhat, ref.xhat, 1e-5, 1e-5);
        check(`${label} y`, w.y, ref.y, 1e-5, 1e-5);

        const dy = random(seed + 5, n);
        const dg = random(seed + 6, channels);
        const db = random(seed + 7, channels);
        const back = { dx: new Float32Array(n), dg: dg.slice(), db: db.slice() };
        js.batchNormBackward(dy, ref.xhat, gamma, ref.invStd, back.dx, back.dg, back.db, batch, channels, inner, acc, training);
        const wb = { dx: p(new Float32Array(n)), dg: p(dg), db: p(db) };
        wasm.batchNormBackward(p(dy), p(ref.xhat), p(gamma), p(ref.invStd), wb.dx, wb.dg, wb.db, batch, channels, inner, acc, training);
        check(`${label} dGamma acc=${acc}`, wb.dg, back.dg, 1e-9 * n, 2.4e-7);
        check(`${label} dBeta acc=${acc}`, wb.db, back.db, 1e-9 * n, 2.4e-7);
        check(`${label} dx`, wb.dx, back.dx, 1e-5, 1e-5);
      }),
      { numRuns: 200 },
    );
  });

  it('multiply, softmaxBackward, squaredError exactly; sigmoidCrossEntropy within an ulp (dense or label targets)', () => {
    const rowsCols = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.oneof(fc.constantFrom(1, 2, 10), fc.integer({ min: 1, max: 70 })));
    fc.assert(
      fc.property(rowsCols, fc.boolean(), fc.boolean(), fc.boolean(), fc.integer(), ([rows, cols], dense, withGrad, inWasm, seed) => {
        const n = rows * cols;
        const p = (data: Float32Array) => place(wasm, data, inWasm);
        const a = random(seed, n, -4, 4);
        const b = random(seed + 1, n, -4, 4);
        const mj = new Float32Array(n);
        js.multiply(a, b, mj, n);
        const mw = p(a);
        wasm.multiply(mw, p(b), mw, n); // in place
        check(`multiply n=${n}`, mw, mj);

        const y = new Float32Array(n);
        js.softmax(a, y, rows, cols);
        const sj = new Float32Array(n);
        js.softmaxBackward(y, b, sj, rows, cols);
        const sw = p(b);
        wasm.softmaxBackward(p(y), sw, sw, rows, cols); // dx aliases dy
        check(`softmaxBackward ${rows}×${cols}`, sw, sj);

        const t = dense ? random(seed + 2, n, 0, 1) : null;
        const labels = dense ? null : new Int32Array(rows).map((_, i) => (cols === 1 ? (seed + i) & 1 : (((seed + i * 7) % cols) + cols) % cols));
        const scale = 1 / n;
        const gj = withGrad ? new Float32Array(n) : null;
        const lossJ = js.squaredError(a, t, labels, gj, rows, cols, scale);
        const gw = withGrad ? p(new Float32Array(n)) : null;
        const lossW = wasm.squaredError(p(a), t && p(t), labels, gw, rows, cols, scale);
        expect(lossW).toBe(lossJ);
        if (gj && gw) check(`squaredError dy ${rows}×${cols} dense=${dense}`, gw, gj);

        const cj = withGrad ? new Float32Array(n) : null;
        const bceJ = js.sigmoidCrossEntropy(a, t, labels, cj, rows, cols, scale);
        const cw = withGrad ? p(new Float32Array(n)) : null;
        const bceW = wasm.sigmoidCrossEntropy(p(a), t && p(t), labels, cw, rows, cols, scale);
        expect(Math.abs(bceW - bceJ)).toBeLessThanOrEqual(1e-12 * (n + Math.abs(bceJ)));
        if (cj && cw) check(`sigmoidCrossEntropy dz ${rows}×${cols} dense=${dense}`, cw, cj, 1e-12, 2.4e-7);
      }),
      { numRuns: 200 },
    );
  });
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, WindowGeometry } from '../backend.js';
import { createJsBackend } from '../js/js-backend.js';
import { winogradPointsOf, winogradTiles } from '../js/winograd.js';
import { createWasmBackend, type WasmBackend } from './wasm-backend.js';
import { firstMismatch } from './compare-buffers.js';
import { check, place, random } from '../../../test/helpers/kernel-buffers.js';
import { barsDataset } from '../../../test/helpers/bars.js';
import { Conv2d } from '../../layers/conv2d.js';
import { buildModel } from '../../model/build-model.js';
import { parseArchitecture } from '../../model/parse-architecture.js';
import { fit } from '../../train/fit.js';

// The Winograd F(2×2, 3×3) and F(2×2, 5×5) transforms, wasm vs the js reference, on random
// shapes: odd and even sizes, padding 0 to r − 1, batch 1–5, channel counts not multiples of 4, buffers in and out of wasm
// memory, written with sentinels past their ends; then 1 vs 2 threads bit for bit. The reference
// sums in float64, the wasm kernels in float32: agreement within a few ulps of the largest terms
// (F(2×2, 5×5)'s transforms have entries up to 5 and 36-term sums: ten times the tolerance).

const geometryOf = (kernel: number): fc.Arbitrary<WindowGeometry> =>
  fc
    .record({
      batch: fc.integer({ min: 1, max: 5 }),
      channels: fc.integer({ min: 1, max: 11 }),
      height: fc.oneof(fc.constantFrom(1, 2, 7, 14), fc.integer({ min: 1, max: 19 })),
      width: fc.oneof(fc.constantFrom(1, 2, 7, 14, 17), fc.integer({ min: 1, max: 23 })),
      padH: fc.integer({ min: 0, max: kernel - 1 }),
      padW: fc.integer({ min: 0, max: kernel - 1 }),
    })
    .map((g) => ({ ...g, kernelH: kernel, kernelW: kernel, strideH: 1, strideW: 1, outH: g.height + 2 * g.padH - kernel + 1, outW: g.width + 2 * g.padW - kernel + 1 }))
    .filter((g) => g.outH >= 1 && g.outW >= 1);

const GUARD = 8;
/** n values in the backend's memory (or a plain array) holding `data`, followed by GUARD sentinels. */
function guarded(backend: Backend, data: Float32Array, inWasm: boolean): Float32Array {
  const block = inWasm ? backend.allocate(data.length + GUARD) : new Float32Array(data.length + GUARD);
  block.set(data);
  block.fill(777, data.length);
  return block.subarray(0, data.length);
}
const guardIntact = (view: Float32Array) => Array.from(new Float32Array(view.buffer, view.byteOffset + view.length * 4, GUARD)).every((v) => v === 777);
const show = (g: WindowGeometry, outChannels: number) => `${g.batch}×${g.channels}×${g.height}×${g.width} pad ${g.padH},${g.padW} out=${outChannels}`;

for (const kernel of [3, 5]) describe(`wasm backend agrees with the js reference: Winograd F(2×2, ${kernel}×${kernel}) transforms`, () => {
  const js = createJsBackend();
  const geometry = geometryOf(kernel);
  const points = winogradPointsOf(kernel);
  /** Tolerance: F(2×2, 5×5)'s float32 sums carry ten times F(2×2, 3×3)'s error. */
  const tol = (t: number) => (kernel === 5 ? 10 * t : t);
  let wasm: WasmBackend;
  let two: WasmBackend;
  beforeAll(async () => {
    wasm = await createWasmBackend();
    two = await createWasmBackend({ threads: 2 });
  });
  afterAll(() => two.dispose());

  it('winogradInput and winogradInputGradient', () => {
    fc.assert(
      fc.property(geometry, fc.boolean(), fc.integer(), (g, inWasm, seed) => {
        const n = points * g.channels * g.batch * winogradTiles(g);
        const x = random(seed, g.batch * g.channels * g.height * g.width);
        const expected = new Float32Array(n);
        js.winogradInput(x, expected, g);
        const v = guarded(wasm, random(seed + 1, n, 5, 9), inWasm);
        wasm.winogradInput(place(wasm, x, inWasm), v, g);
        check(`winogradInput ${show(g, 0)} inWasm=${inWasm}`, v, expected, tol(1e-6), tol(1e-6));
        expect(guardIntact(v), 'a value past v was written').toBe(true);

        const dv = random(seed + 2, n);
        const dxj = new Float32Array(x.length);
        js.winogradInputGradient(dv, dxj, g);
        const dx = guarded(wasm, random(seed + 3, x.length, 5, 9), inWasm);
        wasm.winogradInputGradient(place(wasm, dv, inWasm), dx, g);
        check(`winogradInputGradient ${show(g, 0)} inWasm=${inWasm}`, dx, dxj, tol(1e-5), tol(1e-5));
        expect(guardIntact(dx), 'a value past dx was written').toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('winogradOutput (ReLU or not, bias or not) and winogradOutputGradient (masked or not, bias sums, accumulate or not)', () => {
    fc.assert(
      fc.property(geometry, fc.integer({ min: 1, max: 13 }), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), fc.integer(), (g, outChannels, relu, hasBias, accumulate, inWasm, seed) => {
        const n = points * outChannels * g.batch * winogradTiles(g);
        const out = g.batch * outChannels * g.outH * g.outW;
        const m = random(seed, n);
        const bias = hasBias ? random(seed + 1, outChannels) : null;
        const yj = new Float32Array(out);
        js.winogradOutput(m, bias, yj, relu, outChannels, g);
        const y = guarded(wasm, random(seed + 2, out, 5, 9), inWasm);
        wasm.winogradOutput(place(wasm, m, inWasm), bias && place(wasm, bias, inWasm), y, relu, outChannels, g);
        const label = `${show(g, outChannels)} relu=${relu} bias=${hasBias} acc=${accumulate} inWasm=${inWasm}`;
        check(`winogradOutput ${label}`, y, yj, tol(1e-5), tol(1e-5));
        expect(guardIntact(y), 'a value past y was written').toBe(true);

        const dy = random(seed + 3, out);
        const mask = relu ? yj : null;
        const start = random(seed + 4, outChannels);
        const dbj = hasBias ? start.slice() : null;
        const dmj = new Float32Array(n);
        js.winogradOutputGradient(dy, mask, dmj, dbj, outChannels, g, accumulate);
        const dm = guarded(wasm, random(seed + 5, n, 5, 9), inWasm);
        const db = hasBias ? place(wasm, start, inWasm) : null;
        wasm.winogradOutputGradient(place(wasm, dy, inWasm), mask && place(wasm, mask, inWasm), dm, db, outChannels, g, accumulate);
        check(`winogradOutputGradient ${label}`, dm, dmj, tol(1e-6), tol(1e-6));
        expect(guardIntact(dm), 'a value past dm was written').toBe(true);
        if (db && dbj) check(`winogradOutputGradient ${label}: bias`, db, dbj, 1e-6 * g.batch * g.outH * g.outW, 1e-6);
      }),
      { numRuns: 300 },
    );
  });

  it('winogradWeights and winogradWeightGradient (accumulate or not)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 13 }), fc.boolean(), fc.boolean(), fc.integer(), (outC, inC, accumulate, inWasm, seed) => {
        const w = random(seed, kernel * kernel * outC * inC);
        const uj = new Float32Array(points * outC * inC);
        js.winogradWeights(w, uj, outC, inC, kernel);
        const u = guarded(wasm, random(seed + 1, uj.length, 5, 9), inWasm);
        wasm.winogradWeights(place(wasm, w, inWasm), u, outC, inC, kernel);
        check(`winogradWeights ${outC}×${inC}`, u, uj, tol(1e-6), tol(1e-6));
        expect(guardIntact(u)).toBe(true);
        const du = random(seed + 2, uj.length);
        const start = random(seed + 3, w.length);
        const dwj = start.slice();
        js.winogradWeightGradient(du, dwj, outC, inC, kernel, accumulate);
        const dw = guarded(wasm, start, inWasm);
        wasm.winogradWeightGradient(place(wasm, du, inWasm), dw, outC, inC, kernel, accumulate);
        check(`winogradWeightGradient ${outC}×${inC} acc=${accumulate}`, dw, dwj, tol(1e-6), tol(1e-6));
        expect(guardIntact(dw)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('a CNN with a Winograd layer trained through fit() on two threads ends with one thread\'s weights, bit for bit', async () => {
    const arch = `1x8x8-conv(8,3,pad=1)-relu-conv(16,${kernel},pad=${kernel >> 1})-relu-maxpool(2)-flatten-3`;
    const data = barsDataset(144, 4);
    const weights = [];
    for (const backend of [wasm, two]) {
      const model = buildModel(parseArchitecture(arch), { seed: 2, backend });
      expect(model.layers.filter((layer) => layer instanceof Conv2d && layer.usesWinograd)).toHaveLength(1);
      await fit(model, data, { epochs: 2, batchSize: 48, seed: 1, optimizer: { type: 'adam', lr: 0.01 }, yieldEveryMs: 1e9 });
      weights.push([...model.stateDict().values()].map((t) => Array.from(t.data)));
    }
    expect(weights[1]).toEqual(weights[0]);
  });

  it('two threads split the tile transforms by channels and match one thread bit for bit', () => {
    expect(two.threads).toBe(2);
    // cnn-32-64's second convolution at batch 16 or convnetjs-mnist's at 20 (large enough to split), and an odd shape.
    const shapes = kernel === 3 ? [[16, 32, 14, 1, 64], [9, 13, 11, 0, 10]] : [[20, 8, 14, 2, 16], [9, 13, 11, 1, 10]];
    for (const [batch, channels, size, pad, outChannels] of shapes) {
      const out = size + 2 * pad - kernel + 1;
      const g: WindowGeometry = { batch, channels, height: size, width: size, kernelH: kernel, kernelW: kernel, strideH: 1, strideW: 1, padH: pad, padW: pad, outH: out, outW: out };
      const tiles = batch * winogradTiles(g);
      const x = random(1, batch * channels * size * size);
      const m = random(2, points * outChannels * tiles);
      const dy = random(3, batch * outChannels * g.outH * g.outW);
      const bias = random(4, outChannels);
      const results = [wasm, two].map((backend) => {
        const buffers = {
          v: backend.allocate(points * channels * tiles),
          y: backend.allocate(dy.length),
          dm: backend.allocate(m.length),
          db: backend.allocate(outChannels),
          dx: backend.allocate(x.length),
        };
        backend.winogradInput(place(backend, x, true), buffers.v, g);
        backend.winogradOutput(place(backend, m, true), place(backend, bias, true), buffers.y, true, outChannels, g);
        backend.winogradOutputGradient(place(backend, dy, true), buffers.y, buffers.dm, buffers.db, outChannels, g, false);
        backend.winogradInputGradient(buffers.v, buffers.dx, g);
        return buffers;
      });
      for (const key of ['v', 'y', 'dm', 'db', 'dx'] as const) {
        const mismatch = firstMismatch(`${key} ${show(g, outChannels)}`, results[1][key], results[0][key], 0, 0);
        expect(mismatch, mismatch ?? '').toBeNull();
      }
    }
  });
});

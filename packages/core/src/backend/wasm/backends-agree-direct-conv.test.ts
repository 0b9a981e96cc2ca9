import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivationKind, Backend, WindowGeometry } from '../backend.js';
import { createJsBackend } from '../js/js-backend.js';
import { firstMismatch } from './compare-buffers.js';
import { createWasmBackend, type WasmBackend } from './wasm-backend.js';
import { windowPositions } from '../../layers/window-geometry.js';
import { check, place, random } from '../../../test/helpers/kernel-buffers.js';

// The direct convolution kernels, wasm vs the js reference, on random shapes: stride 1 most of
// the time (the wasm path; odd widths, heights and channel counts, padding 0–2, kernels 1–5),
// other strides too (the wrapper hands those to the reference). The wasm forward rounds every
// product and sum to f32 where the reference sums in f64, and the weight gradient sums in
// another order: agreement within the GEMM tests' tolerance, scaled by the terms per value.
// A backend with two threads (which splits the larger shapes) must give the bits of one.

const convGeometry: fc.Arbitrary<WindowGeometry> = fc
  .record({
    batch: fc.integer({ min: 1, max: 5 }),
    channels: fc.integer({ min: 1, max: 4 }),
    height: fc.oneof(fc.constantFrom(1, 5, 14, 28), fc.integer({ min: 1, max: 23 })),
    width: fc.oneof(fc.constantFrom(1, 3, 14, 28, 31), fc.integer({ min: 1, max: 37 })),
    kernelH: fc.integer({ min: 1, max: 5 }),
    kernelW: fc.integer({ min: 1, max: 5 }),
    strideH: fc.oneof(fc.constant(1), fc.constant(1), fc.integer({ min: 1, max: 3 })),
    strideW: fc.oneof(fc.constant(1), fc.constant(1), fc.integer({ min: 1, max: 3 })),
    padH: fc.integer({ min: 0, max: 2 }),
    padW: fc.integer({ min: 0, max: 2 }),
  })
  .map((g) => ({
    ...g,
    outH: windowPositions(g.height, g.kernelH, g.strideH, g.padH),
    outW: windowPositions(g.width, g.kernelW, g.strideW, g.padW),
  }))
  .filter((g) => g.outH >= 1 && g.outW >= 1);

const show = (g: WindowGeometry, outChannels: number) => `${JSON.stringify(g)} out=${outChannels}`;
const GUARD = 12;

/** A wasm block of n values with GUARD sentinel values after it; returns the view of the n values. */
function guarded(backend: Backend, n: number, fill: number): Float32Array {
  const block = backend.allocate(n + GUARD);
  block.fill(fill, 0, n);
  block.fill(777, n);
  return block.subarray(0, n);
}
const guardIntact = (view: Float32Array) => Array.from(new Float32Array(view.buffer, view.byteOffset + view.length * 4, GUARD)).every((v) => v === 777);

describe('wasm backend agrees with the js reference: direct convolution, the convolution output gradient', () => {
  const js = createJsBackend();
  let wasm: Backend;
  let two: WasmBackend;
  beforeAll(async () => {
    wasm = await createWasmBackend();
    two = await createWasmBackend({ threads: 2 });
  });
  afterAll(() => two.dispose());
  const sameBits = (label: string, actual: Float32Array, expected: Float32Array) => {
    const mismatch = firstMismatch(`${label} on two threads`, actual, expected, 0, 0);
    expect(mismatch, mismatch ?? '').toBeNull();
  };

  it('convForward: identity, fused ReLU or tanh, with or without bias, in and out of wasm memory; writes nothing past y', () => {
    const kinds: ActivationKind[] = ['relu', 'identity', 'tanh'];
    fc.assert(
      fc.property(convGeometry, fc.integer({ min: 1, max: 9 }), fc.constantFrom(...kinds), fc.boolean(), fc.boolean(), fc.integer(), (g, outChannels, kind, hasBias, inWasm, seed) => {
        const patch = g.channels * g.kernelH * g.kernelW;
        const n = g.batch * outChannels * g.outH * g.outW;
        const x = random(seed, g.batch * g.channels * g.height * g.width);
        const w = random(seed + 1, outChannels * patch);
        const bias = hasBias ? random(seed + 2, outChannels) : null;
        const expected = new Float32Array(n);
        js.convForward(kind, x, w, bias, expected, outChannels, g, 0);
        const y = inWasm ? guarded(wasm, n, 5) : new Float32Array(n).fill(5);
        wasm.convForward(kind, place(wasm, x, inWasm), place(wasm, w, inWasm), bias && place(wasm, bias, inWasm), y, outChannels, g, 0);
        check(`convForward ${kind} bias=${hasBias} ${show(g, outChannels)} inWasm=${inWasm}`, y, expected, 1e-6 * patch, kind === 'tanh' ? 1e-5 : 1e-6);
        if (inWasm) expect(guardIntact(y), 'a value past y was written').toBe(true);
        const y2 = guarded(two, n, 5);
        two.convForward(kind, place(two, x, true), place(two, w, true), bias && place(two, bias, true), y2, outChannels, g, 0);
        sameBits(`convForward ${kind} ${show(g, outChannels)}`, y2, y);
        expect(guardIntact(y2), 'a value past y was written on two threads').toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('convWeightGradient: masked by a ReLU output or not, bias or not, accumulate or not, in and out of wasm memory', () => {
    fc.assert(
      fc.property(convGeometry, fc.integer({ min: 1, max: 9 }), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), fc.integer(), (g, outChannels, masked, hasBias, accumulate, inWasm, seed) => {
        const patch = g.channels * g.kernelH * g.kernelW;
        const n = g.batch * outChannels * g.outH * g.outW;
        const x = random(seed, g.batch * g.channels * g.height * g.width);
        const dy = random(seed + 1, n);
        // A ReLU output: zero where its input was negative (about half), positive elsewhere.
        const y = masked ? random(seed + 2, n).map((v) => Math.max(v, 0)) : null;
        const dw0 = random(seed + 3, outChannels * patch);
        const db0 = random(seed + 4, outChannels);
        const dwj = dw0.slice();
        const dbj = hasBias ? db0.slice() : null;
        js.convWeightGradient(x, dy, y, dwj, dbj, outChannels, g, accumulate);
        const dww = place(wasm, dw0, inWasm);
        const dbw = hasBias ? place(wasm, db0, inWasm) : null;
        wasm.convWeightGradient(place(wasm, x, inWasm), place(wasm, dy, inWasm), y && place(wasm, y, inWasm), dww, dbw, outChannels, g, accumulate);
        const terms = g.batch * g.outH * g.outW;
        const label = `convWeightGradient masked=${masked} bias=${hasBias} acc=${accumulate} ${show(g, outChannels)} inWasm=${inWasm}`;
        check(`${label}: weight`, dww, dwj, 1e-6 * terms, 1e-5);
        if (dbw && dbj) check(`${label}: bias`, dbw, dbj, 1e-6, 2.4e-7);
        const dw2 = place(two, dw0, true);
        const db2 = hasBias ? place(two, db0, true) : null;
        two.convWeightGradient(place(two, x, true), place(two, dy, true), y && place(two, y, true), dw2, db2, outChannels, g, accumulate);
        sameBits(`${label}: weight`, dw2, dww);
        if (db2 && dbw) sameBits(`${label}: bias`, db2, dbw);
      }),
      { numRuns: 300 },
    );
  });

  it('convInputGradient: the js reference is col2im(Wᵀ·dy); wasm (the transposed direct convolution) agrees, in and out of wasm memory, writes nothing past dx, and two threads give its bits', () => {
    fc.assert(
      fc.property(convGeometry, fc.integer({ min: 1, max: 9 }), fc.boolean(), fc.integer(), (g, outChannels, inWasm, seed) => {
        const patch = g.channels * g.kernelH * g.kernelW;
        const positions = g.outH * g.outW;
        const dy = random(seed, outChannels * g.batch * positions); // channel-major [out, batch, positions]
        const w = random(seed + 1, outChannels * patch);
        const n = g.batch * g.channels * g.height * g.width;
        const expected = new Float32Array(n).fill(3);
        js.convInputGradient(dy, w, expected, outChannels, g);
        // The reference is the column-matrix path's result.
        const columns = new Float32Array(patch * g.batch * positions);
        js.gemm(true, false, patch, g.batch * positions, outChannels, w, dy, columns, false);
        const viaColumns = new Float32Array(n);
        js.col2im(columns, viaColumns, g);
        check(`convInputGradient ${show(g, outChannels)}: reference vs col2im(Wᵀ·dy)`, expected, viaColumns, 1e-6 * outChannels * g.kernelH * g.kernelW, 1e-5);
        const dx = inWasm ? guarded(wasm, n, 5) : new Float32Array(n).fill(5);
        wasm.convInputGradient(place(wasm, dy, inWasm), place(wasm, w, inWasm), dx, outChannels, g);
        const label = `convInputGradient ${show(g, outChannels)} inWasm=${inWasm}`;
        check(label, dx, expected, 1e-6 * outChannels * g.kernelH * g.kernelW, 1e-5);
        if (inWasm) expect(guardIntact(dx), 'a value past dx was written').toBe(true);
        const dx2 = guarded(two, n, 5);
        two.convInputGradient(place(two, dy, true), place(two, w, true), dx2, outChannels, g);
        sameBits(label, dx2, dx);
        expect(guardIntact(dx2), 'a value past dx was written on two threads').toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('convOutputGradient: reorder exactly (masked by a ReLU output with zeros and NaNs, or not); bias sums within an ulp', () => {
    const dims = fc.tuple(fc.integer({ min: 1, max: 33 }), fc.integer({ min: 1, max: 17 }), fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(100, 196, 785)));
    fc.assert(
      fc.property(dims, fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), fc.integer(), ([batch, channels, inner], masked, hasBias, accumulate, inWasm, seed) => {
        const n = batch * channels * inner;
        const dy = random(seed, n);
        const y = masked ? random(seed + 1, n).map((v) => Math.max(v, 0)) : null;
        if (y) y[seed % n] = Number.NaN; // a NaN output masks its gradient to 0 (not > 0)
        const expected = new Float32Array(n);
        const start = random(seed + 2, channels);
        const bj = hasBias ? start.slice() : null;
        js.convOutputGradient(dy, y, expected, bj, batch, channels, inner, accumulate);
        const dst = place(wasm, random(seed + 3, n, 5, 9), inWasm);
        const bw = hasBias ? place(wasm, start, inWasm) : null;
        wasm.convOutputGradient(place(wasm, dy, inWasm), y && place(wasm, y, inWasm), dst, bw, batch, channels, inner, accumulate);
        const label = `convOutputGradient ${batch}×${channels}×${inner} masked=${masked} acc=${accumulate} inWasm=${inWasm}`;
        check(label, dst, expected);
        if (bw && bj) check(`${label}: bias`, bw, bj, 1e-9 * n, 2.4e-7);
        // Unmasked, it is batchToChannelMajor and channelSums in one pass.
        if (!y) {
          const reordered = new Float32Array(n);
          js.batchToChannelMajor(dy, reordered, batch, channels, inner);
          check(`${label}: as batchToChannelMajor`, expected, reordered);
        }
      }),
      { numRuns: 200 },
    );
  });
});

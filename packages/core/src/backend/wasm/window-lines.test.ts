import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { WindowGeometry } from '../backend.js';
import { createJsBackend } from '../js/js-backend.js';
import { createWasmBackend, type WasmBackend } from './wasm-backend.js';
import { check, place, random } from '../../../test/helpers/kernel-buffers.js';

// The whole-line paths of im2col and col2im (horizontal stride 1, at least 4 output columns of a
// tap inside the image: every stride-1 convolution wider than 3): runs copied or added as whole
// vectors plus one overlapping last vector, lines above and below the image zeroed as blocks.
// Bit-for-bit against the js reference, on one thread and on two (split by images).

/** Stride-1-wide geometries, odd sizes and padding included, so most taps take the line paths. */
const lineGeometry: fc.Arbitrary<WindowGeometry> = fc
  .record({
    batch: fc.integer({ min: 1, max: 5 }),
    channels: fc.integer({ min: 1, max: 9 }),
    height: fc.integer({ min: 1, max: 31 }),
    width: fc.oneof(fc.constantFrom(4, 5, 7, 8, 9, 14, 15, 28), fc.integer({ min: 4, max: 31 })),
    kernelH: fc.integer({ min: 1, max: 5 }),
    kernelW: fc.integer({ min: 1, max: 5 }),
    strideH: fc.integer({ min: 1, max: 3 }),
    padH: fc.integer({ min: 0, max: 2 }),
    padW: fc.integer({ min: 0, max: 2 }),
  })
  .map((g) => ({
    ...g,
    strideW: 1,
    outH: Math.floor((g.height + 2 * g.padH - g.kernelH) / g.strideH) + 1,
    outW: g.width + 2 * g.padW - g.kernelW + 1,
  }))
  .filter((g) => g.outH >= 1 && g.outW >= 1);

const columnsOf = (g: WindowGeometry) => g.channels * g.kernelH * g.kernelW * g.batch * g.outH * g.outW;
const inputOf = (g: WindowGeometry) => g.batch * g.channels * g.height * g.width;

describe('im2col / col2im line paths agree with the js reference exactly, on 1 and 2 threads', () => {
  const js = createJsBackend();
  let backends: WasmBackend[];
  beforeAll(async () => {
    backends = [await createWasmBackend({ threads: 1 }), await createWasmBackend({ threads: 2 })];
  });
  afterAll(() => backends[1]!.dispose());

  const agree = (g: WindowGeometry, seed: number, inWasm: boolean) => {
    const x = random(seed, inputOf(g));
    const dcol = random(seed + 1, columnsOf(g));
    const col = new Float32Array(columnsOf(g));
    const dx = new Float32Array(inputOf(g));
    js.im2col(x, col, g);
    js.col2im(dcol, dx, g);
    for (const wasm of backends) {
      const where = `${JSON.stringify(g)} threads=${wasm.threads} inWasm=${inWasm}`;
      const wcol = place(wasm, random(seed + 2, col.length, 5, 9), inWasm); // garbage: every entry must be written
      wasm.im2col(place(wasm, x, inWasm), wcol, g);
      check(`im2col ${where}`, wcol, col);
      const wdx = place(wasm, random(seed + 3, dx.length, 5, 9), inWasm);
      wasm.col2im(place(wasm, dcol, inWasm), wdx, g);
      check(`col2im ${where}`, wdx, dx);
    }
  };

  it('random stride-1-wide geometries (batch 1–5, sizes 4–31, kernels 1–5, padding 0–2)', () => {
    fc.assert(
      fc.property(lineGeometry, fc.boolean(), fc.integer(), (g, inWasm, seed) => agree(g, seed, inWasm)),
      { numRuns: 300 },
    );
  });

  it.each([
    ['lenet5 conv2, batch 7', { batch: 7, channels: 6, height: 14, width: 14, kernelH: 5, kernelW: 5, strideH: 1, strideW: 1, padH: 0, padW: 0, outH: 10, outW: 10 }],
    ['convnetjs-mnist conv2, batch 5', { batch: 5, channels: 8, height: 14, width: 14, kernelH: 5, kernelW: 5, strideH: 1, strideW: 1, padH: 2, padW: 2, outH: 14, outW: 14 }],
    ['3×3 pad 1 on 15×13, stride 2 down, batch 9', { batch: 9, channels: 7, height: 15, width: 13, kernelH: 3, kernelW: 3, strideH: 2, strideW: 1, padH: 1, padW: 1, outH: 8, outW: 13 }],
  ] as const)('%s: large enough to split across threads', (_, g) => agree(g, 7, true));
});

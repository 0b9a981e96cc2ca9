import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WindowGeometry } from '../backend.js';
import { createJsBackend } from '../js/js-backend.js';
import { windowPositions } from '../../layers/window-geometry.js';
import { check, random } from '../../../test/helpers/kernel-buffers.js';
import { firstMismatch } from './compare-buffers.js';
import type { WorkerFactory } from './thread-pool.js';
import { createWasmBackend, setThreadSplits, type WasmBackend } from './wasm-backend.js';
import { tensor } from '../../tensor.js';
import { tensorDataset } from '../../data/tensor-dataset.js';
import { buildModel } from '../../model/build-model.js';
import { parseArchitecture } from '../../model/parse-architecture.js';
import { CNN_ARCHITECTURES } from '../../model/architecture-presets.js';
import { fit } from '../../train/fit.js';

// The direct convolution (forward by images, weight gradient by output-channel pair × kernel row)
// and max pooling (by images) split across the thread pool: every value is computed as on one
// thread, so two threads, or two threads whose worker never runs, give the bits of one.

const geometry = (batch: number, channels: number, height: number, width: number, k: number, pad: number, stride = 1): WindowGeometry => ({
  batch,
  channels,
  height,
  width,
  kernelH: k,
  kernelW: k,
  strideH: stride,
  strideW: stride,
  padH: pad,
  padW: pad,
  outH: windowPositions(height, k, stride, pad),
  outW: windowPositions(width, k, stride, pad),
});

// LeNet-5's and ConvNetJS's first layers, then odd channel counts (a last pair of one channel),
// odd sizes, more than one input channel, and batches not a multiple of the threads; each large
// enough to split (DIRECT_CONV_THREAD_FLOPS, POOL_THREAD_VALUES in thread-pool.ts).
const CONVOLUTIONS: Array<[WindowGeometry, number]> = [
  [geometry(64, 1, 28, 28, 5, 2), 6],
  [geometry(20, 1, 28, 28, 5, 2), 8],
  [geometry(5, 1, 28, 28, 5, 2), 7],
  [geometry(5, 2, 17, 13, 3, 1), 9],
  [geometry(4, 3, 23, 31, 4, 0), 5],
  [geometry(2, 1, 28, 28, 5, 0), 32],
];

/** Runs a ReLU convolution forward and its weight gradient (masked, accumulated into dW and dBias). */
function convolve(backend: WasmBackend, g: WindowGeometry, outC: number, masked: boolean, hasBias: boolean) {
  const patch = g.channels * g.kernelH * g.kernelW;
  const n = g.batch * outC * g.outH * g.outW;
  const buffer = (data: Float32Array) => {
    const view = backend.allocate(data.length);
    view.set(data);
    return view;
  };
  const x = buffer(random(1, g.batch * g.channels * g.height * g.width));
  const w = buffer(random(2, outC * patch));
  const bias = hasBias ? buffer(random(3, outC)) : null;
  const y = buffer(new Float32Array(n).fill(Number.NaN));
  backend.convForward('relu', x, w, bias, y, outC, g, 0);
  const dy = buffer(random(4, n));
  const dw = buffer(random(5, outC * patch));
  const db = hasBias ? buffer(random(6, outC)) : null;
  backend.convWeightGradient(x, dy, masked ? y : null, dw, db, outC, g, true);
  return { y, dw, db, inputs: { x: x.slice(), w: w.slice(), bias: bias?.slice() ?? null, dy: dy.slice() } };
}

function maxPool(backend: WasmBackend, g: WindowGeometry) {
  const nx = g.batch * g.channels * g.height * g.width;
  const ny = g.batch * g.channels * g.outH * g.outW;
  const x = backend.allocate(nx);
  x.set(random(7, nx));
  const y = backend.allocate(ny).fill(Number.NaN);
  const storage = backend.allocate(ny);
  const argmax = new Int32Array(storage.buffer, storage.byteOffset, ny);
  backend.maxPoolForward(x, y, argmax, g);
  const dy = backend.allocate(ny);
  dy.set(random(8, ny));
  const dx = backend.allocate(nx).fill(Number.NaN);
  backend.maxPoolBackward(dy, argmax, dx, g);
  return { y, argmax: Float32Array.from(argmax), dx };
}

const POOLS = [geometry(64, 6, 28, 28, 2, 0, 2), geometry(20, 16, 14, 14, 3, 0, 3), geometry(11, 5, 27, 25, 2, 0, 2), geometry(13, 12, 13, 17, 3, 1, 2)];

const same = (label: string, actual: Float32Array | null, expected: Float32Array | null) => {
  const mismatch = actual && expected ? firstMismatch(label, actual, expected, 0, 0) : null;
  expect(mismatch, mismatch ?? '').toBeNull();
};

/** A worker that announces itself ready and then never looks at the job block. */
const stalledWorker: WorkerFactory = async () => {
  let ready: ((message: unknown) => void) | null = null;
  return {
    postMessage: () => queueMicrotask(() => ready?.('ready')),
    onMessage: (listener: (message: unknown) => void) => {
      ready = listener;
    },
    onError: () => {},
    terminate: () => {},
  };
};

describe('the direct convolution and max pooling split across threads', () => {
  const js = createJsBackend();
  let one: WasmBackend;
  let two: WasmBackend;
  let stalled: WasmBackend;
  beforeAll(async () => {
    one = await createWasmBackend({ threads: 1 });
    two = await createWasmBackend({ threads: 2 });
    stalled = await createWasmBackend({ threads: 2, createWorker: stalledWorker });
  });
  afterAll(() => {
    two.dispose();
    stalled.dispose();
  });

  it.each(CONVOLUTIONS)('convForward and convWeightGradient %j, out %i: two threads (and a stalled worker) give the bits of one, near the reference', (g, outC) => {
    expect(two.threads).toBe(2);
    expect(setThreadSplits({}).directConv).toBe(true);
    for (const masked of [true, false]) {
      for (const hasBias of [true, false]) {
        const expected = convolve(one, g, outC, masked, hasBias);
        for (const [name, backend] of [
          ['two threads', two],
          ['a stalled worker', stalled],
        ] as const) {
          const actual = convolve(backend, g, outC, masked, hasBias);
          const label = `${name} masked=${masked} bias=${hasBias}`;
          same(`${label}: y`, actual.y, expected.y);
          same(`${label}: dW`, actual.dw, expected.dw);
          same(`${label}: dBias`, actual.db, expected.db);
        }
        // And the split result is the convolution: against the reference, as the property tests do.
        const { x, w, bias, dy } = expected.inputs;
        const patch = g.channels * g.kernelH * g.kernelW;
        const y = new Float32Array(expected.y.length);
        js.convForward('relu', x, w, bias, y, outC, g, 0);
        check(`reference y`, expected.y, y, 1e-6 * patch, 1e-6);
        const dw = random(5, outC * patch);
        const db = hasBias ? random(6, outC) : null;
        js.convWeightGradient(x, dy, masked ? y : null, dw, db, outC, g, true);
        check(`reference dW masked=${masked}`, expected.dw, dw, 1e-6 * g.batch * g.outH * g.outW, 1e-5);
        if (db && expected.db) check('reference dBias', expected.db, db, 1e-6, 2.4e-7);
      }
    }
  });

  it.each(POOLS)('max pooling %j: two threads (and a stalled worker) give the bits of one', (g) => {
    const before = setThreadSplits({ pooling: true });
    try {
      const expected = maxPool(one, g);
      for (const [name, backend] of [
        ['two threads', two],
        ['a stalled worker', stalled],
      ] as const) {
        const actual = maxPool(backend, g);
        same(`${name}: y`, actual.y, expected.y);
        same(`${name}: argmax`, actual.argmax, expected.argmax);
        same(`${name}: dx`, actual.dx, expected.dx);
      }
    } finally {
      setThreadSplits(before);
    }
  });

  it.each([
    ['lenet5', 64],
    ['convnetjs-mnist', 20], // its second layer's input gradient is the transposed direct convolution (convInputGradient)
  ] as const)('%s trained through fit() (batch %i, Adam, 6 steps) ends with the same weights on two threads as on one', async (preset, batch) => {
    const count = batch * 6;
    const images = random(9, count * 784, 0, 1);
    const labels = Array.from({ length: count }, (_, i) => (i * 7) % 10);
    const data = tensorDataset(tensor(images, [count, 1, 28, 28]), labels, 10);
    const train = async (backend: WasmBackend) => {
      const model = buildModel(parseArchitecture(CNN_ARCHITECTURES[preset]), { seed: 4, backend });
      await fit(model, data, { epochs: 1, batchSize: batch, seed: 5, optimizer: { type: 'adam', lr: 1e-3 } });
      return [...model.stateDict().entries()];
    };
    const [a, b] = [await train(one), await train(two)];
    expect(b.map(([name]) => name)).toEqual(a.map(([name]) => name));
    for (let i = 0; i < a.length; i++) same(a[i][0], b[i][1].data as Float32Array, a[i][1].data as Float32Array);
  });
});

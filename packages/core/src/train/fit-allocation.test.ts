import { afterEach, describe, expect, it } from 'vitest';
import { createJsBackend } from '../backend/index.js';
import { Conv2d } from '../layers/conv2d.js';
import { buildModel } from '../model/build-model.js';
import { parseArchitecture } from '../model/parse-architecture.js';
import { twoSpirals } from '../../test/helpers/spirals.js';
import { fit } from './fit.js';

/**
 * The training step must allocate no typed arrays: every buffer is sized once for the batch.
 * Typed-array constructors are swapped for counting subclasses while fit runs (subarray/slice of
 * buffers created then also go through them), and counts are read between consecutive
 * onBatchEnd calls, i.e. over exactly one training step.
 */
const originals = { Float32Array, Float64Array, Int32Array };
afterEach(() => Object.assign(globalThis, originals));

function countTypedArrays(): { count: number } {
  const counter = { count: 0 };
  for (const [name, Base] of Object.entries(originals)) {
    const Counting = class extends (Base as typeof Float32Array) {
      constructor(...args: any[]) {
        super(...(args as []));
        counter.count++;
      }
    };
    Object.defineProperty(globalThis, name, { value: Counting, configurable: true, writable: true });
  }
  return counter;
}

describe('fit: zero allocation per batch', () => {
  it('allocates no typed array and no backend buffer in a training step, including the short last batch', async () => {
    const data = twoSpirals(50); // 100 examples / 32 → batches of 32, 32, 32, 4
    const backend = createJsBackend();
    let backendAllocations = 0;
    const counting = {
      ...backend,
      allocate: (n: number) => {
        backendAllocations++;
        return backend.allocate(n);
      },
    };
    const model = buildModel(parseArchitecture('2-16-16-2', { activations: 'relu,selu', dropout: 0.1 }), { seed: 1, backend: counting });
    const counter = countTypedArrays();
    const perStep: number[] = [];
    let before = { typed: 0, backend: 0 };
    let previousEpoch = -1;
    await fit(model, data, {
      epochs: 3,
      batchSize: 32,
      optimizer: { type: 'adam', lr: 0.01, clipNorm: 1 },
      yieldEveryMs: 1e9,
      callbacks: {
        onBatchEnd: (info) => {
          // a step that starts a new epoch also runs epoch-start bookkeeping; count steps within an epoch
          if (info.epoch === previousEpoch) perStep.push(counter.count - before.typed + backendAllocations - before.backend);
          previousEpoch = info.epoch;
          before = { typed: counter.count, backend: backendAllocations };
        },
      },
    });
    expect(perStep).toHaveLength(9);
    expect(perStep).toEqual(new Array(9).fill(0));
    expect(counter.count).toBeGreaterThan(0); // the counters do see allocations (setup, snapshots)
  });

  const cnn = '1x4x4-conv(4,3,pad=1)-bn-relu-maxpool(2)-conv(4,1)-avgpool(2,stride=1)-flatten-dropout(0.1)-2';
  it.each([
    ['', undefined, cnn, 0],
    [' with every augmentation on', { rotate: 15, scale: 0.1, shift: 1, shear: 10, elastic: { alpha: 4, sigma: 1 }, stroke: 0.5, erase: 0.5 }, cnn, 0],
    // 3×3 convolutions of 8 channels by Winograd, in chunks of 8 images (4 a short batch): 16·8·4 floats of M per image.
    [' by Winograd in chunks', undefined, '1x4x4-conv(8,3,pad=1)-relu-conv(8,3,pad=1)-relu-flatten-2', 16 * 8 * 4 * 8],
    // Then a 5×5 layer by Winograd F(2×2, 5×5) after it: 36·8·4 floats of M per image, chunks of 3 images or fewer.
    [' by Winograd F(2×2, 3×3) and F(2×2, 5×5) in chunks', undefined, '1x4x4-conv(8,3,pad=1)-relu-conv(8,5,pad=2)-relu-flatten-2', 36 * 8 * 4 * 3],
  ])('a CNN step (conv, batch norm, max/avg pooling, dropout)%s allocates nothing either', async (_, augment, arch, chunkFloats) => {
    // The spirals' 2 features tiled into 1×4×4 images, built before counting starts.
    const spirals = twoSpirals(50);
    const pixels = new Float32Array(spirals.size * 16);
    const classes = new Int32Array(spirals.size);
    const pair = new Float32Array(2);
    const one = new Int32Array(1);
    for (let e = 0; e < spirals.size; e++) {
      spirals.gather([e], 0, 1, pair, one);
      for (let j = 0; j < 16; j++) pixels[e * 16 + j] = pair[j % 2] * (1 + j / 16);
      classes[e] = one[0];
    }
    const data = {
      size: spirals.size,
      inputSize: 16,
      shape: [1, 4, 4],
      classCount: 2,
      gather(indices: ArrayLike<number>, start: number, count: number, x: Float32Array, labels: Int32Array) {
        for (let i = 0; i < count; i++) {
          const e = indices[start + i];
          for (let j = 0; j < 16; j++) x[i * 16 + j] = pixels[e * 16 + j];
          labels[i] = classes[e];
        }
      },
    };
    const counter = countTypedArrays();
    let backendAllocations = 0;
    const backend = createJsBackend();
    const counting = {
      ...backend,
      allocate: (n: number) => {
        backendAllocations++;
        return backend.allocate(n);
      },
    };
    const savedChunk = Conv2d.winogradChunkFloats;
    if (chunkFloats) Conv2d.winogradChunkFloats = chunkFloats;
    const model = buildModel(parseArchitecture(arch), { seed: 1, backend: counting });
    Conv2d.winogradChunkFloats = savedChunk;
    expect(model.layers.some((layer) => layer instanceof Conv2d && layer.usesWinograd)).toBe(chunkFloats > 0);
    const perStep: number[] = [];
    let before = { typed: 0, backend: 0 };
    let previousEpoch = -1;
    await fit(model, data, {
      epochs: 3,
      batchSize: 32,
      optimizer: { type: 'adam', lr: 0.01 },
      augment,
      yieldEveryMs: 1e9,
      callbacks: {
        onBatchEnd: (info) => {
          if (info.epoch === previousEpoch) perStep.push(counter.count - before.typed + backendAllocations - before.backend);
          previousEpoch = info.epoch;
          before = { typed: counter.count, backend: backendAllocations };
        },
      },
    });
    // Winograd makes its 16 plane views once per new batch size: the first short batch (epoch 1) makes them, no later step does.
    const from = chunkFloats ? 3 : 0;
    expect(perStep.slice(from)).toEqual(new Array(9 - from).fill(0));
  });
});

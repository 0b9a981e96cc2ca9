import { createJsBackend, createWasmBackend, type Dataset, fit, buildModel, parseArchitecture } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { DatasetError, DatasetErrorCode } from './errors.js';
import { ImageDataset } from './image-dataset.js';
import { encodeIdx } from './idx/write-idx.js';
import { parseIdx } from './idx/read-idx.js';
import { splitTrainValidation, validationCount } from './splits.js';
import { digitsFromUnitFloats } from './unit-floats.js';

const names = ['a', 'b', 'c'];
/** 6 images of 2×2; image i has pixels [i, 50+i, 100+i, 255-i] and label i mod 3. */
function small(): ImageDataset {
  const images = new Uint8Array(6 * 4);
  for (let i = 0; i < 6; i++) images.set([i, 50 + i, 100 + i, 255 - i], i * 4);
  return new ImageDataset({ images, labels: [0, 1, 2, 0, 1, 2], rows: 2, cols: 2, classNames: names });
}

describe('ImageDataset', () => {
  it('gathers the chosen examples as float32 in [0, 1] into the caller buffers', () => {
    const data = small();
    const x = new Float32Array(3 * 4).fill(-1);
    const labels = new Int32Array(3).fill(-1);
    data.gather([5, 3, 0, 2], 1, 2, x, labels);
    expect(Array.from(x.subarray(0, 8))).toEqual([3, 53, 103, 252, 0, 50, 100, 255].map((b) => Math.fround(b / 255)));
    expect(Array.from(x.subarray(8))).toEqual([-1, -1, -1, -1]);
    expect(Array.from(labels)).toEqual([0, 0, -1]);
    expect(data.inputSize).toBe(4);
    expect(data.classCount).toBe(3);
  });

  it('gatherBytes copies the same examples as raw bytes; bytesToUnit then gives exactly what gather gives', async () => {
    const data = small();
    const bytes = new Uint8Array(3 * 4).fill(7);
    const labels = new Int32Array(3).fill(-1);
    data.gatherBytes([5, 3, 0, 2], 1, 2, bytes, labels);
    expect(Array.from(bytes)).toEqual([3, 53, 103, 252, 0, 50, 100, 255, 7, 7, 7, 7]);
    expect(Array.from(labels)).toEqual([0, 0, -1]);
    const gathered = new Float32Array(8);
    data.gather([5, 3, 0, 2], 1, 2, gathered, new Int32Array(3));
    for (const backend of [createJsBackend(), await createWasmBackend()]) {
      const x = new Float32Array(8);
      backend.bytesToUnit(bytes, x, 8);
      expect(Array.from(x), backend.name).toEqual(Array.from(gathered));
    }
    expect(() => data.gatherBytes([6], 0, 1, bytes, labels)).toThrow(/gatherBytes: index 6 is outside \[0, 6\)/);
  });

  it('fit through the byte path trains bit-identically to fit through gather (js and wasm)', async () => {
    // 40 images of 4×4 with a learnable rule: label = which quarter of the image is brightest.
    const n = 40;
    const images = new Uint8Array(n * 16);
    const labels: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < 16; p++) images[i * 16 + p] = (i * 37 + p * 11) % 97;
      const label = i % 4;
      for (const p of [0, 1, 4, 5].map((q) => q + (label % 2) * 2 + (label >> 1) * 8)) images[i * 16 + p] = 200 + (i % 50);
      labels.push(label);
    }
    const bytesData = new ImageDataset({ images, labels, rows: 4, cols: 4, classNames: ['0', '1', '2', '3'] });
    const gatherOnly: Dataset = {
      size: bytesData.size,
      inputSize: bytesData.inputSize,
      classCount: bytesData.classCount,
      gather: (indices, start, count, x, out) => bytesData.gather(indices, start, count, x, out),
    };
    for (const make of [async () => createJsBackend(), () => createWasmBackend()]) {
      const weights: Float32Array[][] = [];
      for (const data of [bytesData, gatherOnly]) {
        const backend = await make();
        const model = buildModel(parseArchitecture('16-8-4'), { seed: 5, backend });
        const history = await fit(model, data, { epochs: 3, batchSize: 6, optimizer: { type: 'adam', lr: 0.01 }, seed: 2 });
        expect(history.epochs).toHaveLength(3);
        weights.push(model.parameters().map((p) => p.value.data.slice()));
      }
      for (const [i, w] of weights[0].entries()) expect(Array.from(w)).toEqual(Array.from(weights[1][i]));
    }
  });

  it('gives a float32 copy, one-hot labels, class counts and one image for display', () => {
    const data = small();
    const f = data.toFloat32();
    expect(f.length).toBe(24);
    expect(f[3]).toBe(1);
    expect(f[4]).toBe(Math.fround(1 / 255));
    expect(Array.from(data.oneHot().subarray(3, 9))).toEqual([0, 1, 0, 0, 0, 1]);
    expect(data.classCounts()).toEqual([2, 2, 2]);
    const image = data.image(4);
    expect(image).toMatchObject({ rows: 2, cols: 2, label: 1, className: 'b' });
    expect(Array.from(image.pixels)).toEqual([4, 54, 104, 251]);
    expect(data.imageGrid(0)).toEqual([
      [0, Math.fround(50 / 255)],
      [Math.fround(100 / 255), 1],
    ]);
    expect(() => data.image(6)).toThrow(DatasetError);
  });

  it('refuses labels outside the classes and images that do not fill the shape', () => {
    expect(() => new ImageDataset({ images: new Uint8Array(8), labels: [0, 3], rows: 2, cols: 2, classNames: names })).toThrow(
      /label 3 of example 1 is outside \[0, 3\)/,
    );
    expect(() => new ImageDataset({ images: new Uint8Array(7), labels: [0, 1], rows: 2, cols: 2, classNames: names })).toThrow(
      /7 pixel bytes do not make 2 images of 2×2/,
    );
  });

  it('is built from decoded IDX images and labels, checking they agree', () => {
    const images = parseIdx(encodeIdx({ type: 'ubyte', dims: [2, 2, 2], data: [1, 2, 3, 4, 5, 6, 7, 8] }));
    const labels = parseIdx(encodeIdx({ type: 'ubyte', dims: [2], data: [2, 0] }));
    const data = ImageDataset.fromIdx(images, labels, names);
    expect(Array.from(data.image(1).pixels)).toEqual([5, 6, 7, 8]);
    const threeLabels = parseIdx(encodeIdx({ type: 'ubyte', dims: [3], data: [0, 0, 0] }));
    const error = (() => {
      try {
        ImageDataset.fromIdx(images, threeLabels, names, 'demo train');
      } catch (e) {
        return e as DatasetError;
      }
    })();
    expect(error?.code).toBe(DatasetErrorCode.INCONSISTENT);
    expect(error?.message).toBe('demo train: 2 images but 3 labels');
  });
});

describe('train / validation split', () => {
  const big = () => {
    const n = 600;
    const images = new Uint8Array(n);
    for (let i = 0; i < n; i++) images[i] = i % 256;
    return new ImageDataset({ images, labels: Array.from({ length: n }, (_, i) => i % 3), rows: 1, cols: 1, classNames: names });
  };

  it('carves a seeded validation set that is disjoint from train and covers everything once', () => {
    const data = big();
    const a = splitTrainValidation(data, 50, 42);
    const b = splitTrainValidation(data, 50, 42);
    const c = splitTrainValidation(data, 50, 43);
    expect(a.train.size).toBe(550);
    expect(a.validation.size).toBe(50);
    expect(a.validation.images).toEqual(b.validation.images);
    expect(a.validation.images).not.toEqual(c.validation.images);
    // Pixel i%256 and label i%3 identify example i up to period 768 > 600: the union is the whole set.
    const key = (d: ImageDataset, i: number) => `${d.images[i]}:${d.labels[i]}`;
    const all = new Set<string>();
    for (const part of [a.train, a.validation]) for (let i = 0; i < part.size; i++) all.add(key(part, i));
    expect(all.size).toBe(600);
  });

  it('reads the split as a fraction or a count, 55,000 / 5,000 for 60,000 by default share', () => {
    expect(validationCount(60_000, 1 / 12)).toBe(5000);
    expect(validationCount(60_000, 0.1)).toBe(6000);
    expect(validationCount(60_000, 5000)).toBe(5000);
    expect(validationCount(60_000, 0)).toBe(0);
    expect(() => validationCount(100, 100)).toThrow(/validationSplit 100/);
    expect(() => validationCount(100, -0.5)).toThrow(DatasetError);
  });
});

describe('digitsFromUnitFloats', () => {
  it('recovers every byte from values rounded to 3 decimals, as the mnist package stores them', () => {
    const bytes = Array.from({ length: 256 }, (_, b) => b);
    const stored = bytes.map((b) => Math.round((b / 255) * 1000) / 1000);
    expect(Array.from(digitsFromUnitFloats(stored))).toEqual(bytes);
    expect(() => digitsFromUnitFloats([0.5, 1.2], 'digits.json')).toThrow(/digits\.json: value 1\.2 at 1 is outside \[0, 1\]/);
  });
});

import { trainLimitIndices } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { decodeHandwritingFiles, encodeHandwritingFiles } from '../../src/shared/handwriting-files.js';
import { FINE_TUNE, fineTuneConfig, mixForFineTune } from '../../src/renderer/src/teach/fine-tune-data.js';
import { digitBytes, HandwritingSet, holdsOutNext } from '../../src/renderer/src/teach/handwriting-set.js';
import { offlineDigits } from '../helpers/offline-digits.js';

/** A drawing whose every pixel is `value`. */
const pixels = (value: number) => new Uint8Array(784).fill(value);

describe('the handwriting set', () => {
  it('holds out every 5th drawing: 6 of 30', () => {
    const set = new HandwritingSet();
    for (let i = 0; i < 30; i++) set.add(pixels(i), i % 10);
    expect(set.heldOut.map((d) => d.pixels[0])).toEqual([4, 9, 14, 19, 24, 29]);
    expect(set.training).toHaveLength(24);
  });

  it('never moves a drawing between training and held out when another is deleted, and keeps the share at one in five', () => {
    const set = new HandwritingSet();
    for (let i = 0; i < 10; i++) set.add(pixels(i), i);
    const before = set.all.map((d) => [d.id, d.heldOut]);
    set.remove(set.heldOut[0].id);
    set.remove(set.training[2].id);
    expect(set.all.map((d) => [d.id, d.heldOut])).toEqual(before.filter(([id]) => set.all.some((d) => d.id === id)));
    // 8 left, 1 held out: a 9th held out would make 2 of 9 (over one in five); the 10th is.
    expect(holdsOutNext(8, 1)).toBe(false);
    expect(set.add(pixels(50), 5).heldOut).toBe(false);
    expect(set.add(pixels(51), 6).heldOut).toBe(true);
    expect(set.heldOut).toHaveLength(2);
  });

  it('refuses labels that are not digits and images that are not 28×28', () => {
    const set = new HandwritingSet();
    expect(() => set.add(pixels(1), 10)).toThrow(/label 10/);
    expect(() => set.add(new Uint8Array(100), 1)).toThrow(/784 pixels/);
  });

  it('round-trips through the four IDX files: the same drawings, labels and split', async () => {
    const set = new HandwritingSet();
    for (let i = 0; i < 12; i++) set.add(pixels(i * 10), (i * 3) % 10);
    const files = encodeHandwritingFiles(set.toSplits());
    expect(files.map((f) => f.name)).toEqual(['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']);
    const back = HandwritingSet.fromSplits(await decodeHandwritingFiles(files));
    expect(back.training.map((d) => [d.label, d.pixels[0]])).toEqual(set.training.map((d) => [d.label, d.pixels[0]]));
    expect(back.heldOut.map((d) => [d.label, d.pixels[0]])).toEqual(set.heldOut.map((d) => [d.label, d.pixels[0]]));
  });

  it('stores the network’s [0, 1] input as bytes, rounding and clamping', () => {
    expect([...digitBytes(Float32Array.of(0, 0.5, 1, 1.2, -0.1, 0.999))]).toEqual([0, 128, 255, 255, 0, 255]);
  });
});

describe('the fine-tuning mix', () => {
  const base = offlineDigits().train;

  it('is the base digits plus the training drawings repeated to about a third, and nothing else', () => {
    const set = new HandwritingSet();
    for (let i = 0; i < 30; i++) set.add(pixels(200 + i), i % 10);
    set.remove(set.training[3].id); // as the end-to-end test does: 30 drawn, one deleted
    const { train, heldOut } = set.toSplits();
    const mix = mixForFineTune(train, base);
    const repeats = Math.round((FINE_TUNE.baseDigits * 0.5) / train.count);
    expect(train.count).toBe(23);
    expect(mix.count).toBe(FINE_TUNE.baseDigits + repeats * 23);
    const share = (repeats * 23) / mix.count;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.37);
    // The base part is a seeded sample of the offline digits, byte for byte, from every class (the
    // file is ordered by class: its first 1,200 would be 0s and 1s only).
    const sample = trainLimitIndices(base.count, FINE_TUNE.baseDigits, FINE_TUNE.seed)!;
    for (const [k, i] of sample.entries()) {
      expect(Buffer.from(mix.images.subarray(k * 784, (k + 1) * 784)).equals(Buffer.from(base.images.subarray(i * 784, (i + 1) * 784)))).toBe(true);
      expect(mix.labels[k]).toBe(base.labels[i]);
    }
    expect(new Set(mix.labels.subarray(0, FINE_TUNE.baseDigits)).size).toBe(10);
    // Each training drawing appears `repeats` times; no held-out drawing appears at all.
    const firstPixels = new Map<number, number>();
    for (let i = FINE_TUNE.baseDigits; i < mix.count; i++) firstPixels.set(mix.images[i * 784], (firstPixels.get(mix.images[i * 784]) ?? 0) + 1);
    for (const d of set.training) expect(firstPixels.get(d.pixels[0])).toBe(repeats);
    for (const d of set.heldOut) expect(firstPixels.has(d.pixels[0])).toBe(false);
    expect(heldOut.count).toBe(6);
  });

  it('fine-tunes with the model’s own recorded settings but its own rate, epochs and augmentation', () => {
    const config = fineTuneConfig({
      spec: { inputSize: 784, layers: [{ type: 'dense', inputSize: 784, outputSize: 10 }] },
      tensors: [],
      classNames: [],
      training: { hyperparameters: { arch: '784-10', loss: 'mse', lr: 0.1, epochs: 40 } } as never,
    });
    expect(config).toMatchObject({ architecture: '784-10', loss: 'mse', learningRate: FINE_TUNE.learningRate, epochs: FINE_TUNE.epochs, augment: FINE_TUNE.augment });
  });
});

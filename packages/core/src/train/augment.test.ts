import { describe, expect, it } from 'vitest';
import { Rng } from '../random.js';
import { validateAugmentConfig } from './augment-config.js';
import { Augmenter, type WarpParams, warpImage } from './augment.js';
import { ElasticBank } from './elastic-bank.js';

const identity = (): WarpParams => ({ rotate: 0, scale: 1, shear: 0, shiftX: 0, shiftY: 0 });
const image = (values: number[][]) => Float32Array.from(values.flat());
const warp = (src: Float32Array, h: number, w: number, params: Partial<WarpParams>, channels = 1) => {
  const dst = new Float32Array(src.length).fill(Number.NaN);
  warpImage(src, 0, dst, 0, channels, h, w, { ...identity(), ...params });
  return dst;
};
const random = (n: number, seed: number) => Float32Array.from({ length: n }, ((rng) => () => rng.uniform())(new Rng(seed)));

describe('warpImage: hand-checked transforms', () => {
  const a = image([
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ]);

  it('rotate 0, scale 1 is the identity, bit for bit (edges included)', () => {
    const src = random(2 * 5 * 7, 1);
    expect(warp(src, 5, 7, {}, 2)).toEqual(src);
  });

  it('rotates 90° counter-clockwise as displayed, exactly (numpy rot90)', () => {
    expect(Array.from(warp(a, 3, 3, { rotate: 90 }))).toEqual([3, 6, 9, 2, 5, 8, 1, 4, 7]);
    expect(Array.from(warp(a, 3, 3, { rotate: -90 }))).toEqual([7, 4, 1, 8, 5, 2, 9, 6, 3]);
    expect(Array.from(warp(a, 3, 3, { rotate: 180 }))).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('a shift by whole pixels moves every value exactly and fills 0', () => {
    const src = random(4 * 6, 2);
    const out = warp(src, 4, 6, { shiftX: 2, shiftY: -1 });
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 6; x++) {
        const [sx, sy] = [x - 2, y + 1];
        expect(out[y * 6 + x]).toBe(sx >= 0 && sy < 4 ? src[sy * 6 + sx] : 0);
      }
    }
  });

  it('a half-pixel shift averages neighbours (bilinear), with 0 read outside', () => {
    expect(Array.from(warp(image([[2, 4, 8]]), 1, 3, { shiftX: 0.5 }))).toEqual([1, 3, 6]);
  });

  it('scale 2 about the centre reads the centre pixel over the middle', () => {
    const src = image([
      [0, 0, 0],
      [0, 1, 0],
      [0, 0, 0],
    ]);
    // output (0,1) reads (0.5, 1): half the centre pixel
    expect(Array.from(warp(src, 3, 3, { scale: 2 }))).toEqual([0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25]);
  });

  it('shear moves rows below the centre to the right', () => {
    const src = image([
      [0, 1, 0],
      [0, 1, 0],
      [0, 1, 0],
    ]);
    expect(Array.from(warp(src, 3, 3, { shear: 45 }))).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('an elastic field of alpha 0 changes nothing; a real one keeps the image mostly in place', () => {
    const src = random(28 * 28, 3);
    const still = new ElasticBank(28, 28, 0, 4, new Rng(1));
    const out = new Float32Array(src.length);
    warpImage(src, 0, out, 0, 1, 28, 28, identity(), { bank: still, field: 3, variant: 31 });
    expect(out).toEqual(src);
    const bank = new ElasticBank(28, 28, 34, 4, new Rng(1));
    let maxDisplacement = 0;
    let sumSquares = 0;
    for (const d of bank.fields) {
      maxDisplacement = Math.max(maxDisplacement, Math.abs(d));
      sumSquares += d * d;
    }
    const rms = Math.sqrt(sumSquares / bank.fields.length);
    // Uniform noise (sd 0.577) blurred by a sigma-4 Gaussian has sd ≈ 0.577/(2√π·4) ≈ 0.04, ×34 ≈ 1.4 px.
    expect(rms).toBeGreaterThan(0.8);
    expect(rms).toBeLessThan(2.5);
    expect(maxDisplacement).toBeLessThan(8);
  });
});

describe('Augmenter', () => {
  const shape = [1, 8, 8] as const;
  const batch = (rows: number) => random(rows * 64, 4);
  const config = { rotate: 15, scale: 0.1, shift: 2, shear: 5, elastic: { alpha: 8, sigma: 2 }, stroke: 0.3, thickness: { thin: 0.3, thick: 1 }, erase: 0.3 };

  it('is a function of (seed, epoch, batch): the same call gives the same bits, another batch differs', () => {
    const run = (seed: number, epoch: number, b: number) => {
      const x = batch(5);
      new Augmenter(config, shape, 5, seed).apply(x, 5, epoch, b);
      return x;
    };
    const x = run(1, 2, 3);
    expect(run(1, 2, 3)).toEqual(x);
    expect(run(1, 2, 4)).not.toEqual(x);
    expect(run(1, 3, 3)).not.toEqual(x);
    expect(run(2, 2, 3)).not.toEqual(x);
    expect(x.every(Number.isFinite)).toBe(true);
    // one Augmenter reused gives the same as a fresh one
    const reused = new Augmenter(config, shape, 5, 1);
    const y = batch(5);
    reused.apply(batch(5), 5, 0, 0);
    reused.apply(y, 5, 2, 3);
    expect(y).toEqual(x);
  });

  it('an all-zero config leaves the batch as it was', () => {
    const x = batch(3);
    new Augmenter({ rotate: 0, scale: 0, shift: 0 }, shape, 3, 1).apply(x, 3, 0, 0);
    expect(x).toEqual(batch(3));
  });

  it('validates each field with its range', () => {
    expect(() => validateAugmentConfig({ rotate: 200 })).toThrow(/augment.rotate must be a number in \[0, 180\], got 200/);
    expect(() => validateAugmentConfig({ scale: -0.1 })).toThrow(/augment.scale/);
    expect(() => validateAugmentConfig({ elastic: { alpha: 34, sigma: 0 } })).toThrow(/augment.elastic.sigma must be a number in \[0.5, 50\]/);
    expect(() => validateAugmentConfig({ rotat: 3 } as never)).toThrow(/rotat is not an augmentation; use rotate, /);
    expect(() => validateAugmentConfig({ shift: Number.NaN })).toThrow(/augment.shift/);
    expect(() => validateAugmentConfig(config)).not.toThrow();
  });
});

describe('stroke thickening and thinning', () => {
  it('grows or shrinks a 2-pixel bar by one pixel', () => {
    const bar = image([
      [0, 0, 0, 0, 0],
      [0, 1, 1, 0, 0],
      [0, 1, 1, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
    const run = (seed: number) => {
      const x = bar.slice();
      new Augmenter({ stroke: 1 }, [1, 4, 5], 1, seed).apply(x, 1, 0, 0);
      return Array.from(x).reduce((a, b) => a + b, 0);
    };
    const sums = new Set([1, 2, 3, 4, 5, 6, 7, 8].map(run));
    // thickened: a 3×3 block (9); thinned: one pixel (1)
    expect([...sums].sort((a, b) => a - b)).toEqual([1, 9]);
  });
});

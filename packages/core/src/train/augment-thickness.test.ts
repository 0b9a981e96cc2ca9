import { describe, expect, it } from 'vitest';
import { Rng } from '../random.js';
import { validateAugmentConfig } from './augment-config.js';
import { formatAugmentSpec, parseAugmentSpec } from './augment-spec.js';
import { StrokeThickener } from './augment-thickness.js';
import { Augmenter } from './augment.js';

const H = 9;
const W = 9;
/** A vertical bar `cols` wide (columns 3..), full height, in a 9×9 image. */
const bar = (cols: number) => Float32Array.from({ length: H * W }, (_, i) => (i % W >= 3 && i % W < 3 + cols ? 1 : 0));
const thicken = (src: Float32Array, delta: number) => {
  const out = new Float32Array(src.length).fill(Number.NaN);
  new StrokeThickener().apply(src, 0, out, 0, 1, H, W, delta);
  return out;
};
const row = (image: Float32Array, y: number) => Array.from(image.subarray(y * W, (y + 1) * W), (v) => Math.round(v * 1e6) / 1e6);

describe('StrokeThickener', () => {
  it('delta 0 copies the image bit for bit', () => {
    const rng = new Rng(3);
    const src = Float32Array.from({ length: H * W }, () => rng.uniform());
    expect(thicken(src, 0)).toEqual(src);
  });

  it('thickens a 2-pixel bar by a fraction of a pixel on each side, anti-aliased', () => {
    // 0.25 px per side: the columns either side are a quarter covered, the width becomes 2.5
    expect(row(thicken(bar(2), 0.25), 4)).toEqual([0, 0, 0.25, 1, 1, 0.25, 0, 0, 0]);
    // one pixel per side: a 4-pixel bar
    expect(row(thicken(bar(2), 1), 4)).toEqual([0, 0, 1, 1, 1, 1, 0, 0, 0]);
    // 1.5 px per side: 4 full columns and half of the next on each side
    expect(row(thicken(bar(2), 1.5), 4)).toEqual([0, 0.5, 1, 1, 1, 1, 0.5, 0, 0]);
  });

  it('thins a 4-pixel bar the same way, with the outside counting as paper', () => {
    expect(row(thicken(bar(4), -0.5), 4)).toEqual([0, 0, 0, 0.5, 1, 1, 0.5, 0, 0]);
    expect(row(thicken(bar(4), -1), 4)).toEqual([0, 0, 0, 0, 1, 1, 0, 0, 0]);
    // ink touching the border is eaten from the border too
    const full = new Float32Array(H * W).fill(1);
    expect(row(thicken(full, -1), 4)).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(row(thicken(full, -1), 0)).toEqual(new Array(W).fill(0));
  });

  it('grows a dot into a disc: the ink added matches a pen delta wider', () => {
    const dot = new Float32Array(H * W);
    dot[4 * W + 4] = 1;
    const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);
    // radius 1: the 4 neighbours fully, the diagonals 1 + 1 − √2 each
    expect(sum(thicken(dot, 1))).toBeCloseTo(5 + 4 * (2 - Math.SQRT2), 6);
    // radius 2 reaches 2 px along the axes, √5 px only in part
    const big = thicken(dot, 2);
    expect(big[4 * W + 6]).toBe(1);
    expect(big[6 * W + 5]).toBeCloseTo(3 - Math.sqrt(5), 6);
    expect(big[6 * W + 6]).toBeCloseTo(Math.max(0, 3 - Math.sqrt(8)), 6);
  });
});

describe('augment thickness', () => {
  it('parses thin:thick or one value for both, records both, and checks ranges', () => {
    expect(parseAugmentSpec('thickness=0.3:1')).toEqual({ thickness: { thin: 0.3, thick: 1 } });
    expect(parseAugmentSpec('rotate=10,thickness=0.5')).toEqual({ rotate: 10, thickness: { thin: 0.5, thick: 0.5 } });
    expect(formatAugmentSpec({ rotate: 10, thickness: { thin: 0.5, thick: 0.5 } })).toBe('rotate=10,thickness=0.5:0.5');
    expect(() => parseAugmentSpec('thickness')).toThrow(/thickness takes pixels per side/);
    expect(() => parseAugmentSpec('thickness=3')).toThrow(/from 0 to 2/);
    expect(() => parseAugmentSpec('thickness=1:2:3')).toThrow(/thickness takes/);
    expect(() => validateAugmentConfig({ thickness: { thin: 0, thick: 2.5 } })).toThrow(/augment.thickness.thick must be a number in \[0, 2\]/);
  });

  it('in the Augmenter: a bar comes out between its thinnest and thickest, differently per example, repeatably', () => {
    const rows = 6;
    const one = bar(2);
    const run = () => {
      const x = new Float32Array(rows * H * W);
      for (let r = 0; r < rows; r++) x.set(one, r * H * W);
      new Augmenter({ thickness: { thin: 0.5, thick: 1.5 } }, [1, H, W], rows, 7).apply(x, rows, 1, 2);
      return x;
    };
    const x = run();
    expect(run()).toEqual(x);
    const widths = Array.from({ length: rows }, (_, r) => x.subarray(r * H * W + 4 * W, r * H * W + 5 * W).reduce((s, v) => s + v, 0));
    // a 2-px bar: from 2 − 2·0.5 = 1 to 2 + 2·1.5 = 5 px wide
    for (const w of widths) {
      expect(w).toBeGreaterThanOrEqual(1 - 1e-6);
      expect(w).toBeLessThanOrEqual(5 + 1e-6);
    }
    expect(new Set(widths.map((w) => w.toFixed(4))).size).toBe(rows);
    expect(Math.min(...widths)).toBeLessThan(2);
    expect(Math.max(...widths)).toBeGreaterThan(2);
  });
});

import { describe, expect, it } from 'vitest';
import { squaredDistanceToSet } from './distance-transform.js';
import { offsetStrokes, strokeWidth } from './stroke-width.js';

/** A `width`×`height` image with full ink in columns [x0, x1) on every row. */
function bar(width: number, height: number, x0: number, x1: number) {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) data.fill(1, y * width + x0, y * width + x1);
  return { width, height, data };
}

describe('squaredDistanceToSet', () => {
  it('gives exact squared distances to the nearest set pixel', () => {
    expect(Array.from(squaredDistanceToSet(Uint8Array.from([0, 0, 1, 0, 0]), 5, 1))).toEqual([4, 1, 0, 1, 4]);
    expect(Array.from(squaredDistanceToSet(Uint8Array.from([0, 0, 0, 0, 1, 0, 0, 0, 0]), 3, 3))).toEqual([2, 1, 2, 1, 0, 1, 2, 1, 2]);
    // Nearest of two: (0,0) and (3,2) in 4×3.
    const two = squaredDistanceToSet(Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), 4, 3);
    expect(Array.from(two)).toEqual([0, 1, 4, 4, 1, 2, 2, 1, 4, 4, 1, 0]);
    expect(squaredDistanceToSet(new Uint8Array(4), 2, 2)[0]).toBe(Number.POSITIVE_INFINITY);
  });

  it('agrees with brute force on random masks', () => {
    let seed = 7;
    const random = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    for (let trial = 0; trial < 40; trial++) {
      const width = 1 + Math.floor(random() * 30);
      const height = 1 + Math.floor(random() * 30);
      const density = random() ** 3;
      const mask = Uint8Array.from({ length: width * height }, () => (random() < density ? 1 : 0));
      const fast = squaredDistanceToSet(mask, width, height);
      for (let i = 0; i < mask.length; i++) {
        let best = Number.POSITIVE_INFINITY;
        for (let j = 0; j < mask.length; j++) {
          if (mask[j]) best = Math.min(best, ((i % width) - (j % width)) ** 2 + (Math.floor(i / width) - Math.floor(j / width)) ** 2);
        }
        if (fast[i] !== best) throw new Error(`${width}×${height} pixel ${i}: ${fast[i]} vs brute force ${best}`);
      }
    }
  });
});

describe('strokeWidth', () => {
  it('is twice the area over the outline: a 4 × 100 bar is 800 / 208 wide', () => {
    expect(strokeWidth(bar(4, 100, 0, 4))).toBeCloseTo(800 / 208, 10);
    expect(strokeWidth(bar(10, 100, 3, 7))).toBeCloseTo(800 / 208, 10);
  });
});

describe('offsetStrokes', () => {
  const row = (image: { width: number; data: Float32Array }, y: number) => Array.from(image.data.subarray(y * image.width, (y + 1) * image.width));

  it('widens a 2-px bar by one pixel a side, with fractional offsets anti-aliased', () => {
    // Pads by ceil(delta) + 1 = 2 each side: 10 → 14 wide, bar at columns 6–7.
    expect(row(offsetStrokes(bar(10, 5, 4, 6), 1), 2)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(row(offsetStrokes(bar(10, 5, 4, 6), 0.25), 2)).toEqual([0, 0, 0, 0, 0, 0.25, 1, 1, 0.25, 0, 0, 0, 0, 0]);
  });

  it('narrows a 4-px bar by half a pixel a side', () => {
    // Pads by 1: the edge pixels sit half a pixel inside the new outline.
    expect(row(offsetStrokes(bar(8, 5, 2, 6), -0.5), 2)).toEqual([0, 0, 0, 0.5, 1, 1, 0.5, 0, 0, 0]);
  });
});

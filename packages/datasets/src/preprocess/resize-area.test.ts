import { describe, expect, it } from 'vitest';
import { placeByCentreOfMass } from './centre-of-mass.js';
import { resizeArea } from './resize-area.js';

describe('resizeArea', () => {
  it('averages whole blocks when shrinking by an integer factor', () => {
    const source = { width: 4, height: 2, data: Float32Array.from([0, 1, 1, 1, 0, 1, 0, 0]) };
    const out = resizeArea(source, 2, 1);
    expect(Array.from(out.data)).toEqual([0.5, 0.5]);
  });

  it('weights partially covered pixels by their covered fraction', () => {
    // 3 → 2: the first output pixel covers source [0, 1.5): (a + 0.5·b) / 1.5.
    const out = resizeArea({ width: 3, height: 1, data: Float32Array.from([0.3, 0.9, 0.6]) }, 2, 1);
    expect(out.data[0]).toBeCloseTo((0.3 + 0.45) / 1.5, 6);
    expect(out.data[1]).toBeCloseTo((0.45 + 0.6) / 1.5, 6);
  });

  it('preserves the mean intensity', () => {
    const data = Float32Array.from({ length: 37 * 23 }, (_, i) => ((i * 7919) % 101) / 100);
    const out = resizeArea({ width: 37, height: 23, data }, 20, 13);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(out.data)).toBeCloseTo(mean(data), 4);
  });
});

describe('placeByCentreOfMass', () => {
  it('moves a lopsided glyph as far as it can without clipping ink', () => {
    // All mass in the glyph's first column: the ideal shift would push it off the left edge.
    const glyph = { width: 20, height: 2, data: new Float32Array(40) };
    glyph.data[0] = 1;
    glyph.data[20] = 1;
    const out = placeByCentreOfMass(glyph, 28);
    expect(out.data.reduce((s, v) => s + v, 0)).toBe(2);
    // Centre of mass (0, 0.5): left floor(14.5) = 14 clamped to 28 − 20 = 8; top floor(14) = 14.
    expect(out.data[14 * 28 + 8]).toBe(1);
    expect(out.data[15 * 28 + 8]).toBe(1);
  });
});

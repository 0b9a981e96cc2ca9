import { describe, expect, it } from 'vitest';
import { digitInputFromCanvas } from '../../src/renderer/src/draw/digit-input.js';

/** A transparent RGBA "canvas" with opaque white ink in the given rectangles. */
function canvas(width: number, height: number, rects: Array<[x: number, y: number, w: number, h: number]>) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (const [x0, y0, w, h] of rects) {
    for (let y = y0; y < y0 + h; y++) {
      for (let x = x0; x < x0 + w; x++) data.set([255, 255, 255, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

function stats(image: Float32Array) {
  let mass = 0;
  let mx = 0;
  let my = 0;
  let minX = 28;
  let maxX = -1;
  let minY = 28;
  let maxY = -1;
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = image[y * 28 + x];
      mass += v;
      mx += v * x; // pixel-index coordinates: MNIST puts the centre of mass on pixel 14
      my += v * y;
      if (v > 0.05) {
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
    }
  }
  return { cx: mx / mass, cy: my / mass, width: maxX - minX + 1, height: maxY - minY + 1, max: Math.max(...image) };
}

describe('the 28×28 input made from the drawing canvas', () => {
  it('gives no input (not an error) for an empty canvas', () => {
    expect(digitInputFromCanvas(canvas(280, 280, []))).toBeNull();
  });

  it('centres a small off-centre digit by mass and scales its longer side to 20 px', () => {
    // A 24×40 px block in the top-left corner of a 280×280 canvas.
    const input = digitInputFromCanvas(canvas(280, 280, [[10, 12, 24, 40]]))!;
    expect(input).toHaveLength(784);
    const s = stats(input);
    expect(s.height).toBe(20);
    expect(Math.abs(s.cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(s.cy - 14)).toBeLessThanOrEqual(0.5);
    expect(s.max).toBeCloseTo(1, 5);
  });

  it('keeps the aspect ratio (a 1:4 outline stays about 5×20, not 20×20)', () => {
    // Drawn with an 8-px pen (a solid 30-px bar would be thinned to MNIST's stroke widths).
    const s = stats(digitInputFromCanvas(canvas(280, 280, [[200, 100, 8, 120], [222, 100, 8, 120], [200, 100, 30, 8], [200, 212, 30, 8]]))!);
    expect(s.height).toBe(20);
    expect(s.width).toBeGreaterThanOrEqual(5);
    expect(s.width).toBeLessThanOrEqual(6);
  });

  it('centres a lopsided glyph by its centre of mass, not its bounding box', () => {
    // An "L": heavy bottom bar, so the mass sits low and the box is shifted up.
    const s = stats(digitInputFromCanvas(canvas(200, 200, [[50, 20, 20, 160], [50, 150, 100, 30]]))!);
    expect(Math.abs(s.cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(s.cy - 14)).toBeLessThanOrEqual(0.5);
  });

  it('is white ink on black in [0, 1], like the training data', () => {
    const input = digitInputFromCanvas(canvas(280, 280, [[100, 60, 40, 160]]))!;
    expect(input[0]).toBe(0);
    expect(Math.min(...input)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...input)).toBeLessThanOrEqual(1);
  });
});

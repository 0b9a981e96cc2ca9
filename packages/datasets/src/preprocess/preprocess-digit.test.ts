import { describe, expect, it } from 'vitest';
import { inkBoundingBox } from './bounding-box.js';
import { centreOfMass } from './centre-of-mass.js';
import { type ImageInput, toInkMap } from './ink-map.js';
import { preprocessDigit } from './preprocess-digit.js';
import { strokeWidth } from './stroke-width.js';

/** A grey picture with a filled rectangle of `ink` on `paper`. */
/** The recipe alone (no stroke-width step): these solid blocks are far wider than any pen stroke. */
const RECIPE = { strokeWidthRange: null };

function rectangle(width: number, height: number, box: { x: number; y: number; w: number; h: number }, ink = 255, paper = 0): ImageInput {
  const data = new Uint8Array(width * height).fill(paper);
  for (let y = box.y; y < box.y + box.h; y++) for (let x = box.x; x < box.x + box.w; x++) data[y * width + x] = ink;
  return { width, height, data, channels: 1 };
}

const frame = (data: Float32Array) => ({ width: 28, height: 28, data });

/** The 28×28 frame as rows of values rounded to 4 decimals, for exact comparison with hand-computed frames. */
function rowsOf(out: Float32Array): number[][] {
  return Array.from({ length: 28 }, (_, y) => Array.from(out.subarray(y * 28, y * 28 + 28), (v) => Math.round(v * 1e4) / 1e4));
}

describe('preprocessDigit: hand-computed frames', () => {
  it('two grey levels shrunk by 3: area averages, centre of mass 7.357 → shift 7', () => {
    // A 60×30 glyph at (20, 15) in 100×60: left half full ink, right half 102/255 = 0.4.
    const data = new Uint8Array(100 * 60);
    for (let y = 15; y < 45; y++) for (let x = 20; x < 80; x++) data[y * 100 + x] = x < 50 ? 255 : 102;
    const out = preprocessDigit({ width: 100, height: 60, data, channels: 1 }, RECIPE)!;
    // 20×10 after scaling: 10 columns of 1, 10 of 0.4. Per row mass 14, moment 45 + 0.4·145 = 103:
    // cx = 7.357 → left = floor(14 − 7.357 + 0.5) = 7; cy = 4.5 → top = 10.
    const expected = Array.from({ length: 28 }, (_, y) =>
      Array.from({ length: 28 }, (_, x) => (y >= 10 && y < 20 && x >= 7 && x < 27 ? (x < 17 ? 1 : 0.4) : 0)),
    );
    expect(rowsOf(out)).toEqual(expected);
  });

  it('a thin L shrunk tenfold: faint strokes scaled to full ink, lopsided mass clamped inside the frame', () => {
    // 2-px strokes: columns 50–51, rows 50–249, and rows 248–249, columns 50–249, in 300×300.
    const data = new Uint8Array(300 * 300);
    for (let y = 50; y < 250; y++) for (let x = 50; x < 250; x++) if (x < 52 || y >= 248) data[y * 300 + x] = 255;
    const out = preprocessDigit({ width: 300, height: 300, data, channels: 1 }, RECIPE)!;
    // 200×200 → 20×20: stroke pixels average 20/100 = 0.2, the corner 36/100 = 0.36; over the
    // strongest: 5/9 and 1. Mass 199/9; cx = 950/199 = 4.77 → shift 9, clamped to 28 − 20 = 8;
    // cy = 2831/199 = 14.23 → shift floor(0.27) = 0.
    const f = Math.round((5 / 9) * 1e4) / 1e4;
    const expected = Array.from({ length: 28 }, (_, y) =>
      Array.from({ length: 28 }, (_, x) => (y === 19 && x === 8 ? 1 : (x === 8 && y < 19) || (y === 19 && x > 8) ? f : 0)),
    );
    expect(rowsOf(out)).toEqual(expected);
  });
});

describe('preprocessDigit: stroke width', () => {
  /** An L of `pen`-pixel strokes, 200 px on a side, in a 300×300 picture. */
  function penL(pen: number): ImageInput {
    const data = new Uint8Array(300 * 300);
    for (let y = 50; y < 250; y++) for (let x = 50; x < 250; x++) if (x < 50 + pen || y >= 250 - pen) data[y * 300 + x] = 255;
    return { width: 300, height: 300, data, channels: 1 };
  }
  const widthOf = (out: Float32Array) => strokeWidth({ width: 28, height: 28, data: out });

  it('brings a fine pen up to MNIST\'s 10th-percentile stroke width (1.45 px) and a broad brush down to its median (2.0)', () => {
    // 2 px and 60 px strokes would be 0.2 and 6 px once 200 px become 20.
    expect(widthOf(preprocessDigit(penL(2), RECIPE)!)).toBeLessThan(1.1); // a one-pixel grey line
    // The step aims at the edge as measured on the drawing; measured again on the 28×28 frame the
    // width reads 1.56 and 2.0 (a thin line gains grey edges).
    expect(Math.abs(widthOf(preprocessDigit(penL(2))!) - 1.45)).toBeLessThan(0.15);
    expect(widthOf(preprocessDigit(penL(60), RECIPE)!)).toBeGreaterThan(4.5);
    expect(Math.abs(widthOf(preprocessDigit(penL(60))!) - 2.0)).toBeLessThan(0.15);
  });

  it('a blob with a stem (a pen as wide as the loops): the search stays bounded and keeps its closest redraw', () => {
    // A disc of radius 60 under a 30-px stem: its width hardly responds to thinning, and before
    // the ±L/4 limit a secant step asked for a 48,520-px offset (a 97,000² redraw).
    const data = new Uint8Array(300 * 300);
    for (let y = 0; y < 300; y++) for (let x = 0; x < 300; x++) if ((y - 200) ** 2 + (x - 150) ** 2 <= 3600 || (y >= 100 && y < 200 && x >= 135 && x < 165)) data[y * 300 + x] = 255;
    const picture: ImageInput = { width: 300, height: 300, data, channels: 1 };
    // No redraw comes closer to 2.0 px than the drawing as it is (5.56 px in the frame), so it is left as drawn.
    const asDrawn = preprocessDigit(picture, RECIPE)!;
    expect(widthOf(asDrawn)).toBeCloseTo(5.56, 2);
    expect(Array.from(preprocessDigit(picture)!)).toEqual(Array.from(asDrawn));
  });

  it('leaves strokes inside the range, and small pictures, as they are', () => {
    expect(Array.from(preprocessDigit(penL(17))!)).toEqual(Array.from(preprocessDigit(penL(17), RECIPE)!));
    const small = rectangle(30, 30, { x: 5, y: 3, w: 2, h: 24 });
    expect(Array.from(preprocessDigit(small)!)).toEqual(Array.from(preprocessDigit(small, RECIPE)!));
  });
});

describe('preprocessDigit', () => {
  it('scales the longer side of the ink to 20 px, keeps the aspect ratio and centres by mass', () => {
    // 100×50 ink box in a 300×200 picture → 20×10 in the frame.
    const out = preprocessDigit(rectangle(300, 200, { x: 150, y: 20, w: 100, h: 50 }), RECIPE)!;
    expect(out).toHaveLength(784);
    // Centre of mass (9.5, 4.5) in the 20×10 glyph: shift floor(14 - 9.5 + 0.5) = 5, floor(14 - 4.5 + 0.5) = 10.
    expect(inkBoundingBox(frame(out), 0.5)).toEqual({ x: 5, y: 10, width: 20, height: 10 });
    const com = centreOfMass(frame(out))!;
    expect(com.x).toBeCloseTo(14.5, 5); // a tie rounds up: MNIST's centres spread over 14 ± 0.5
    expect(com.y).toBeCloseTo(14.5, 5);
    // Interior fully inked, outside zero: [0, 1] scale like MNIST.
    expect(out[14 * 28 + 14]).toBe(1);
    expect(out[0]).toBe(0);
    expect(Math.max(...out)).toBe(1);
  });

  it('anti-aliases: a 30 px wide stroke shrunk by 20/90 covers fractional pixels', () => {
    // 90×90 ink area containing a vertical bar 30 px wide at the left → 6.67 px wide after scaling.
    const picture = rectangle(120, 120, { x: 10, y: 10, w: 30, h: 90 });
    // Make the bounding box 90×90 with a faint-enough-to-count corner dot at the far right.
    (picture.data as Uint8Array)[10 * 120 + 99] = 255;
    const out = preprocessDigit(picture, RECIPE)!;
    const row = Array.from(out.subarray(14 * 28, 15 * 28));
    const partial = row.filter((v) => v > 0 && v < 1);
    expect(partial.length).toBe(1);
    expect(partial[0]).toBeCloseTo(2 / 3, 5); // 30 px × 20/90 = 6.667 px → one pixel two-thirds covered
  });

  it('inverts dark ink on light paper to the same result as light ink on dark', () => {
    const light = preprocessDigit(rectangle(64, 64, { x: 5, y: 10, w: 12, h: 40 }, 255, 0))!;
    const dark = preprocessDigit(rectangle(64, 64, { x: 5, y: 10, w: 12, h: 40 }, 0, 255))!;
    expect(Array.from(dark)).toEqual(Array.from(light));
  });

  it('stretches a low-contrast photo (grey ink on grey paper) to the full [0, 1] range', () => {
    const out = preprocessDigit(rectangle(40, 40, { x: 10, y: 5, w: 8, h: 30 }, 90, 160))!;
    expect(Math.max(...out)).toBe(1);
    expect(Math.min(...out)).toBe(0);
  });

  it('reads RGBA drawn on a transparent canvas by its alpha, whatever the ink colour', () => {
    const width = 50;
    const height = 50;
    const black = new Uint8ClampedArray(width * height * 4);
    const white = new Uint8ClampedArray(width * height * 4);
    for (let y = 10; y < 40; y++)
      for (let x = 20; x < 28; x++) {
        const p = (y * width + x) * 4;
        black.set([0, 0, 0, 255], p);
        white.set([255, 255, 255, 255], p);
      }
    const a = preprocessDigit({ width, height, data: black, channels: 4 })!;
    const b = preprocessDigit({ width, height, data: white, channels: 4 })!;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(inkBoundingBox(frame(a), 0.5)!.height).toBe(20);
  });

  it('toInkMap with stretch: false keeps the levels of a data-set image', () => {
    const data = Uint8Array.from([0, 0, 0, 0, 0, 51, 102, 0, 0, 0, 0, 0]);
    const levels = (stretch: boolean) =>
      Array.from(toInkMap({ width: 4, height: 3, data, channels: 1 }, { stretch })!.data.subarray(4, 8), (v) => Number(v.toFixed(6)));
    expect(levels(false)).toEqual([0, 0.2, 0.4, 0]);
    expect(levels(true)).toEqual([0, 0.5, 1, 0]);
  });

  it('returns null for an empty or uniform picture instead of failing', () => {
    expect(preprocessDigit(rectangle(28, 28, { x: 0, y: 0, w: 0, h: 0 }))).toBeNull();
    expect(preprocessDigit(rectangle(28, 28, { x: 0, y: 0, w: 0, h: 0 }, 0, 255))).toBeNull();
    expect(preprocessDigit({ width: 10, height: 10, data: new Uint8Array(400), channels: 4 })).toBeNull();
  });

  it('is stable: preprocessing an already-preprocessed digit changes it very little', () => {
    const first = preprocessDigit(rectangle(200, 200, { x: 30, y: 40, w: 37, h: 120 }))!;
    const bytes = Uint8Array.from(first, (v) => Math.round(v * 255));
    const second = preprocessDigit({ width: 28, height: 28, data: bytes, channels: 1 })!;
    let diff = 0;
    for (let i = 0; i < 784; i++) diff += Math.abs(first[i] - second[i]);
    expect(diff / 784).toBeLessThan(0.01);
  });

  it('gives nearly the same frame for the same drawing at two resolutions', () => {
    const small = preprocessDigit(rectangle(60, 60, { x: 10, y: 5, w: 15, h: 45 }), RECIPE)!;
    const large = preprocessDigit(rectangle(240, 240, { x: 40, y: 20, w: 60, h: 180 }), RECIPE)!;
    expect(Array.from(large)).toEqual(Array.from(small));
  });
});

import type { GreyImage } from './ink-map.js';

/**
 * Intensity-weighted mean position (x, y) in pixel-index coordinates (the first pixel's centre is
 * 0, as numpy and scipy count); null for an all-zero image.
 */
export function centreOfMass(image: GreyImage): { x: number; y: number } | null {
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const v = image.data[y * image.width + x];
      mass += v;
      mx += v * x;
      my += v * y;
    }
  }
  if (mass <= 0) return null;
  return { x: mx / mass, y: my / mass };
}

/**
 * Pastes `glyph` into a `size`×`size` black frame so that its centre of mass lands on pixel
 * (size/2, size/2), shifting by whole pixels (round half up), as MNIST was made: over its training
 * digits the centre of mass, in pixel-index coordinates, is spread evenly over 14 ± 0.5 (mean
 * 14.00, measured on the 8,000 offline digits), so the field's "centre" is pixel 14, not 13.5.
 * The shift is limited so the glyph stays inside the frame: a lopsided glyph is moved as far as it
 * can go without clipping ink (MNIST's 20-pixel box never needed that).
 */
export function placeByCentreOfMass(glyph: GreyImage, size: number): GreyImage {
  const data = new Float32Array(size * size);
  const com = centreOfMass(glyph) ?? { x: (glyph.width - 1) / 2, y: (glyph.height - 1) / 2 };
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const left = clamp(Math.floor(size / 2 - com.x + 0.5), 0, Math.max(0, size - glyph.width));
  const top = clamp(Math.floor(size / 2 - com.y + 0.5), 0, Math.max(0, size - glyph.height));
  for (let y = 0; y < glyph.height; y++) {
    const ty = top + y;
    if (ty < 0 || ty >= size) continue;
    for (let x = 0; x < glyph.width; x++) {
      const tx = left + x;
      if (tx >= 0 && tx < size) data[ty * size + tx] = glyph.data[y * glyph.width + x];
    }
  }
  return { width: size, height: size, data };
}

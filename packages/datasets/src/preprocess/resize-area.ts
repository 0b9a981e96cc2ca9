import type { GreyImage } from './ink-map.js';

/**
 * Resamples by area averaging: each destination pixel is the mean of the source area it covers,
 * with partially covered source pixels weighted by their covered fraction. This is the
 * anti-aliasing MNIST's 20×20 box needs when shrinking a large drawing; when enlarging it
 * reduces to sampling the covering source pixel.
 */
export function resizeArea(source: GreyImage, width: number, height: number): GreyImage {
  const out = new Float32Array(width * height);
  const sx = source.width / width;
  const sy = source.height / height;
  for (let y = 0; y < height; y++) {
    const y0 = y * sy;
    const y1 = y0 + sy;
    for (let x = 0; x < width; x++) {
      const x0 = x * sx;
      const x1 = x0 + sx;
      let sum = 0;
      for (let iy = Math.floor(y0); iy < Math.min(Math.ceil(y1), source.height); iy++) {
        const wy = Math.min(y1, iy + 1) - Math.max(y0, iy);
        if (wy <= 0) continue;
        const row = iy * source.width;
        for (let ix = Math.floor(x0); ix < Math.min(Math.ceil(x1), source.width); ix++) {
          const wx = Math.min(x1, ix + 1) - Math.max(x0, ix);
          if (wx > 0) sum += source.data[row + ix] * wx * wy;
        }
      }
      out[y * width + x] = sum / (sx * sy);
    }
  }
  return { width, height, data: out };
}

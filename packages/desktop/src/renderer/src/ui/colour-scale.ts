/** Colours of the diverging scale: negative → blue, zero → the background, positive → orange. */
const NEGATIVE = [88, 150, 255] as const;
const ZERO = [14, 18, 28] as const;
const POSITIVE = [255, 150, 60] as const;
/** Colours of the sequential scale (0 → black, 1 → white), for non-negative values such as ReLU outputs. */
const LOW = [0, 0, 0] as const;
const HIGH = [255, 255, 255] as const;

function mix(from: readonly number[], to: readonly number[], t: number, out: Uint8ClampedArray, at: number): void {
  out[at] = from[0] + (to[0] - from[0]) * t;
  out[at + 1] = from[1] + (to[1] - from[1]) * t;
  out[at + 2] = from[2] + (to[2] - from[2]) * t;
  out[at + 3] = 255;
}

/** Largest absolute value (0 for none): the scale's ±end, shared by a whole layer so its images compare. */
export function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]);
    if (v > max) max = v;
  }
  return max;
}

/**
 * Paints `rows` × `cols` values (from `offset`) into a canvas of that pixel size, on a diverging
 * scale from −`limit` (blue) through 0 to +`limit` (orange), or, with `diverging` false, from 0
 * (black) to `limit` (white). CSS scales the canvas up (`image-rendering: pixelated`).
 */
export function paintScaled(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  offset: number,
  rows: number,
  cols: number,
  limit: number,
  diverging: boolean,
): void {
  if (canvas.width !== cols) canvas.width = cols;
  if (canvas.height !== rows) canvas.height = rows;
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(cols, rows);
  const scale = limit > 0 ? 1 / limit : 0;
  for (let i = 0; i < rows * cols; i++) {
    const t = Math.max(-1, Math.min(1, values[offset + i] * scale));
    if (!diverging) mix(LOW, HIGH, Math.max(0, t), image.data, i * 4);
    else if (t < 0) mix(ZERO, NEGATIVE, -t, image.data, i * 4);
    else mix(ZERO, POSITIVE, t, image.data, i * 4);
  }
  context.putImageData(image, 0, 0);
}

/** A CSS gradient of the diverging scale, for its legend. */
export const DIVERGING_GRADIENT = `linear-gradient(90deg, rgb(${NEGATIVE}), rgb(${ZERO}), rgb(${POSITIVE}))`;

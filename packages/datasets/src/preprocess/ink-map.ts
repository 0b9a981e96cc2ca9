/**
 * Turning an arbitrary picture into an "ink map": one float per pixel in [0, 1] where 1 is full
 * ink and 0 is background — the polarity MNIST uses (white digit on black).
 */

/** A picture as raw 8-bit samples, row-major, `channels` samples per pixel. */
export interface ImageInput {
  readonly width: number;
  readonly height: number;
  /** 0…255 samples: 1 = grey, 2 = grey + alpha, 3 = RGB, 4 = RGBA (e.g. canvas `ImageData.data`). */
  readonly data: ArrayLike<number>;
  readonly channels: 1 | 2 | 3 | 4;
}

/** A single-channel float image. */
export interface GreyImage {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/**
 * Converts to greyscale ink in [0, 1], white ink on black.
 *
 * - A picture with transparent pixels (a canvas or PNG drawn on nothing) is read by its alpha:
 *   whatever is painted is ink, whatever its colour.
 * - An opaque picture is read by its luminance; the background level is the median of the border
 *   pixels, and a light background (dark ink on paper) is inverted.
 * - The result is stretched so the background is 0 and the strongest ink is 1.
 *
 * Returns null when there is no ink at all (a blank or uniform picture).
 *
 * With `stretch: false` the levels are kept as they are (only inverted when needed), for a
 * picture that is already a data-set image.
 */
export function toInkMap(image: ImageInput, options: { stretch?: boolean } = {}): GreyImage | null {
  const { width, height, data, channels } = image;
  const pixels = width * height;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) return null;
  if (data.length < pixels * channels) {
    throw new RangeError(`toInkMap: ${width}×${height}×${channels} needs ${pixels * channels} samples, got ${data.length}`);
  }
  const hasAlpha = channels === 2 || channels === 4;
  const out = new Float32Array(pixels);
  let transparent = false;
  if (hasAlpha) {
    for (let p = 0; p < pixels; p++) {
      if (data[p * channels + channels - 1] < 255) {
        transparent = true;
        break;
      }
    }
  }
  if (transparent) {
    for (let p = 0; p < pixels; p++) out[p] = data[p * channels + channels - 1] / 255;
  } else {
    for (let p = 0; p < pixels; p++) out[p] = luminance(data, p * channels, channels) / 255;
    if (borderMedian(out, width, height) > 0.5) {
      for (let p = 0; p < pixels; p++) out[p] = 1 - out[p];
    }
  }
  if (options.stretch === false) return out.some((v) => v > 0) ? { width, height, data: out } : null;
  return stretch({ width, height, data: out });
}

function luminance(data: ArrayLike<number>, offset: number, channels: number): number {
  if (channels < 3) return data[offset];
  // ITU-R BT.601 luma, the weights most image libraries use for greyscale conversion.
  return 0.299 * data[offset] + 0.587 * data[offset + 1] + 0.114 * data[offset + 2];
}

/** Median of the outermost ring of pixels: a robust estimate of the background level. */
function borderMedian(values: Float32Array, width: number, height: number): number {
  const ring: number[] = [];
  for (let x = 0; x < width; x++) {
    ring.push(values[x]);
    if (height > 1) ring.push(values[(height - 1) * width + x]);
  }
  for (let y = 1; y < height - 1; y++) {
    ring.push(values[y * width]);
    if (width > 1) ring.push(values[y * width + width - 1]);
  }
  ring.sort((a, b) => a - b);
  // The ring always has an even count: the median is the mean of the two middle values (numpy's).
  const mid = ring.length >> 1;
  return ring.length % 2 === 1 ? ring[mid] : (ring[mid - 1] + ring[mid]) / 2;
}

/** Below this contrast between background and strongest ink the picture counts as blank. */
const MIN_CONTRAST = 0.1;

function stretch(image: GreyImage): GreyImage | null {
  const { data } = image;
  const background = borderMedian(data, image.width, image.height);
  let max = 0;
  for (let i = 0; i < data.length; i++) if (data[i] > max) max = data[i];
  const range = max - background;
  if (range < MIN_CONTRAST) return null;
  for (let i = 0; i < data.length; i++) {
    const v = (data[i] - background) / range;
    data[i] = Math.min(Math.max(v, 0), 1);
  }
  return image;
}

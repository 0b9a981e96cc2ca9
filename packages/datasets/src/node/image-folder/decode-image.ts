import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { resizeArea } from '../../preprocess/resize-area.js';

/** Largest image decoded, in pixels (64 MP): a bigger one is skipped as unreadable rather than exhausting memory. */
export const MAX_IMAGE_PIXELS = 64 * 1024 * 1024;

/** The size and channel count images are brought to. `channels` undefined: 3 planes, and whether the image had colour is reported. */
export interface ImageTarget {
  rows: number;
  cols: number;
  channels?: 1 | 3;
}

/** A decoded image as RGBA bytes (alpha ignored, as when converting to RGB). */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when the bytes start with the JPEG signature (an SOI marker followed by another marker). */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/**
 * PNG (pngjs) or JPEG (jpeg-js) bytes to RGBA; throws an Error whose message says what is wrong.
 * An image declaring more than `maxPixels` (default MAX_IMAGE_PIXELS) is refused before its pixels
 * are allocated.
 */
export function decodeImage(bytes: Uint8Array, options: { maxPixels?: number } = {}): RgbaImage {
  const maxPixels = options.maxPixels ?? MAX_IMAGE_PIXELS;
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) {
    if (bytes.length < 33) throw new Error('truncated PNG header');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const width = view.getUint32(16);
    const height = view.getUint32(20);
    if (width * height > maxPixels) throw new Error(`${width}×${height} pixels is over the ${megapixels(maxPixels)} MP limit`);
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: png.data };
  }
  if (isJpeg(bytes)) {
    // jpeg-js counts a megapixel as 10^6 pixels.
    const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: maxPixels / 1e6, maxMemoryUsageInMB: Math.max(128, Math.ceil((maxPixels * 24) / (1024 * 1024))) });
    return { width: image.width, height: image.height, data: image.data };
  }
  throw new Error('not a PNG or JPEG file (unknown signature)');
}

const megapixels = (pixels: number) => Number((pixels / (1024 * 1024)).toFixed(2));

/** True when any pixel's red, green and blue differ. */
export function hasColour(image: RgbaImage): boolean {
  const d = image.data;
  for (let i = 0; i < d.length; i += 4) if (d[i] !== d[i + 1] || d[i + 1] !== d[i + 2]) return true;
  return false;
}

/**
 * One image brought to the target: luma (ITU-R BT.601) for one channel, else three planes;
 * resized by area averaging (anti-aliased when shrinking) to rows × cols. Writes
 * channels · rows · cols bytes into `out` at `offset`.
 */
export function toPlanes(image: RgbaImage, target: ImageTarget, out: Uint8Array, offset: number): void {
  const { width, height, data } = image;
  const n = width * height;
  const planes: Float32Array[] = [];
  if (target.channels === 1) {
    const grey = new Float32Array(n);
    for (let p = 0; p < n; p++) grey[p] = 0.299 * data[4 * p] + 0.587 * data[4 * p + 1] + 0.114 * data[4 * p + 2];
    planes.push(grey);
  } else {
    for (let c = 0; c < 3; c++) {
      const plane = new Float32Array(n);
      for (let p = 0; p < n; p++) plane[p] = data[4 * p + c];
      planes.push(plane);
    }
  }
  const size = target.rows * target.cols;
  planes.forEach((plane, c) => {
    const resized = width === target.cols && height === target.rows ? plane : resizeArea({ width, height, data: plane }, target.cols, target.rows).data;
    const at = offset + c * size;
    for (let p = 0; p < size; p++) out[at + p] = Math.min(255, Math.max(0, Math.round(resized[p])));
  });
}

/** What decoding a batch of files gives: their planes, which had colour, and which failed (index → reason). */
export interface DecodedBatch {
  pixels: Uint8Array;
  colour: Uint8Array;
  failures: Array<{ index: number; reason: string }>;
}

/** Reads, decodes and converts files one by one; a file that fails is reported, never thrown. */
export function decodeFiles(paths: readonly string[], target: ImageTarget): DecodedBatch {
  const channels = target.channels ?? 3;
  const size = channels * target.rows * target.cols;
  const pixels = new Uint8Array(paths.length * size);
  const colour = new Uint8Array(paths.length);
  const failures: DecodedBatch['failures'] = [];
  paths.forEach((path, index) => {
    try {
      const image = decodeImage(readFileSync(path));
      if (target.channels === undefined) colour[index] = hasColour(image) ? 1 : 0;
      toPlanes(image, target, pixels, index * size);
    } catch (error) {
      failures.push({ index, reason: error instanceof Error ? error.message : String(error) });
    }
  });
  return { pixels, colour, failures };
}

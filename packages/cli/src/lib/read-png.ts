import { readFileSync } from 'node:fs';
import type { ImageInput } from '@scratchnet/datasets';
import { PNG } from 'pngjs';
import { CliError, CliErrorCode } from '../errors/cli-error.js';

/** Largest image `predict` decodes: 16 M pixels is 64 MB of RGBA, far above any drawing or scan of a digit. */
const MAX_PIXELS = 4096 * 4096;

/**
 * Width and height from the IHDR chunk that must open every PNG (bytes 16–23, big-endian), read
 * before decoding so that a tiny file declaring gigapixels is refused without inflating it.
 */
function declaredSize(bytes: Uint8Array): { width: number; height: number } | null {
  const ihdr = String.fromCharCode(...bytes.subarray(12, 16));
  if (bytes.length < 24 || ihdr !== 'IHDR') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Decodes a PNG file to RGBA samples for `preprocessDigit`. */
export function readPng(path: string): ImageInput {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new CliError(CliErrorCode.FILE_NOT_FOUND, `cannot read image '${path}': ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, { cause });
  }
  const size = declaredSize(bytes);
  if (size && size.width * size.height > MAX_PIXELS) {
    throw new CliError(
      CliErrorCode.BAD_IMAGE,
      `'${path}' declares ${size.width} × ${size.height} pixels, too large to decode (at most ${MAX_PIXELS.toLocaleString('en-US')} pixels); scale it down first`,
    );
  }
  try {
    const png = PNG.sync.read(bytes);
    return { width: png.width, height: png.height, data: png.data, channels: 4 };
  } catch (cause) {
    throw new CliError(CliErrorCode.BAD_IMAGE, `'${path}' is not a readable PNG image (${(cause as Error).message})`, { cause });
  }
}

import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import type { ImageInput } from '@scratchnet/datasets';
import { PNG } from 'pngjs';
import { CliError, CliErrorCode } from '../errors/cli-error.js';

/**
 * Limits on what `predict` decodes, so that any PNG costs at most ≈ 2 s and ≈ 250 MB (measured with
 * pngjs on 2 shared cores: 2048 × 2048 greyscale 0.4 s / 96 MB; 8192 × 512 16-bit RGBA, 32 MiB of
 * samples, 1.5 s / 150 MB; unlimited, 1 × 16,777,216 took 25 s and 4096 × 4096 16-bit RGBA 4.6 s /
 * 570 MB). A digit needs far less: it is scaled to 28 × 28.
 */
export const PNG_LIMITS = {
  /** Each side: pngjs's cost per row and per column is high, so 1 × 16 M pixels is as bad as a square. */
  maxSide: 8192,
  /** Width × height (2048 × 2048). */
  maxPixels: 4096 * 1024,
  /** Decoded samples before conversion to RGBA: width × height × channels × bit depth / 8. */
  maxSampleBytes: 16 * 1024 * 1024,
  /** The file itself. */
  maxFileBytes: 64 * 1024 * 1024,
};

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Channels per PNG colour type (0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlaced: boolean;
}

/** The IHDR chunk that must follow the signature (bytes 8–32), or null when the bytes are not a PNG. */
function readHeader(bytes: Uint8Array): PngHeader | null {
  if (bytes.length < 33 || SIGNATURE.some((b, i) => bytes[i] !== b)) return null;
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20), bitDepth: bytes[24], colourType: bytes[25], interlaced: bytes[28] !== 0 };
}

function describeKind(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * The file's bytes, read only if it is a regular file of at most maxFileBytes. The type is
 * checked before opening (a FIFO would block the open; /dev/zero never ends) and again on the
 * descriptor, opened non-blocking, in case the path was swapped in between.
 */
export function readRegularFile(path: string): Buffer {
  const notRegular = (info: Stats) =>
    new CliError(CliErrorCode.BAD_IMAGE, `cannot read image '${path}': it is ${describeKind(info)}, not a PNG file`);
  let fd: number;
  try {
    const info = statSync(path);
    if (!info.isFile()) throw notRegular(info);
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (cause) {
    if (cause instanceof CliError) throw cause;
    throw new CliError(CliErrorCode.FILE_NOT_FOUND, `cannot read image '${path}': ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, { cause });
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw notRegular(info);
    if (info.size > PNG_LIMITS.maxFileBytes) {
      throw new CliError(
        CliErrorCode.BAD_IMAGE,
        `'${path}' is ${info.size.toLocaleString('en-US')} bytes, more than the ${PNG_LIMITS.maxFileBytes.toLocaleString('en-US')} a PNG for predict may have; scale it down first`,
      );
    }
    const bytes = Buffer.alloc(info.size);
    let at = 0;
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, bytes.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return bytes.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}

/** Refuses a header whose declared size would cost more than the limits allow, before any decoding. */
function checkDeclaredSize(path: string, header: PngHeader, bytes: Uint8Array): void {
  const { width, height } = header;
  const sampleBytes = Math.ceil((width * (CHANNELS[header.colourType] ?? 4) * header.bitDepth) / 8) * height;
  const { maxSide, maxPixels, maxSampleBytes } = PNG_LIMITS;
  let why: string | undefined;
  if (width === 0 || height === 0) why = 'an empty image';
  else if (width > maxSide || height > maxSide) why = `more than ${maxSide.toLocaleString('en-US')} pixels on a side`;
  else if (width * height > maxPixels) why = `more than ${maxPixels.toLocaleString('en-US')} pixels in all`;
  else if (sampleBytes > maxSampleBytes) why = `${sampleBytes.toLocaleString('en-US')} bytes of ${header.bitDepth}-bit samples, more than ${maxSampleBytes.toLocaleString('en-US')}`;
  if (why) {
    throw new CliError(
      CliErrorCode.BAD_IMAGE,
      `'${path}' declares ${width} × ${height} pixels: ${why}, too large to decode; scale it down (to at most 2048 × 2048, 8-bit) first`,
    );
  }
  if (header.interlaced) {
    // pngjs inflates interlaced images without an output limit: inflate here first, with one.
    const limit = 2 * (sampleBytes + 8 * height) + 4096;
    try {
      inflateSync(idatBytes(bytes), { maxOutputLength: limit });
    } catch (cause) {
      throw new CliError(CliErrorCode.BAD_IMAGE, `'${path}' is not a readable PNG image (its image data inflates past what ${width} × ${height} pixels need)`, { cause });
    }
  }
}

/** The concatenated IDAT chunk data of a PNG (chunk lengths are bounded by the file's size). */
function idatBytes(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (type === 'IDAT') parts.push(bytes.subarray(at + 8, Math.min(bytes.length, at + 8 + length)));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  return Buffer.concat(parts);
}

/**
 * Decodes a PNG file to RGBA samples for `preprocessDigit`. Refuses, before decoding, anything
 * that is not a regular file and any header that declares more than PNG_LIMITS.
 */
export function readPng(path: string): ImageInput {
  return decodePng(path, readRegularFile(path));
}

/** A PNG file's bytes (read by readRegularFile) to RGBA samples, with readPng's checks. */
export function decodePng(path: string, bytes: Buffer): ImageInput {
  const header = readHeader(bytes);
  if (!header) throw new CliError(CliErrorCode.BAD_IMAGE, `'${path}' is not a readable PNG image (no PNG signature and IHDR header), nor a JPEG`);
  checkDeclaredSize(path, header, bytes);
  try {
    const png = PNG.sync.read(bytes);
    return { width: png.width, height: png.height, data: png.data, channels: 4 };
  } catch (cause) {
    throw new CliError(CliErrorCode.BAD_IMAGE, `'${path}' is not a readable PNG image (${(cause as Error).message})`, { cause });
  }
}

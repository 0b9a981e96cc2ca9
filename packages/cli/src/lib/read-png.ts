import { readFileSync } from 'node:fs';
import type { ImageInput } from '@scratchnet/datasets';
import { PNG } from 'pngjs';
import { CliError, CliErrorCode } from '../errors/cli-error.js';

/** Decodes a PNG file to RGBA samples for `preprocessDigit`. */
export function readPng(path: string): ImageInput {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new CliError(CliErrorCode.FILE_NOT_FOUND, `cannot read image '${path}': ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, { cause });
  }
  try {
    const png = PNG.sync.read(bytes);
    return { width: png.width, height: png.height, data: png.data, channels: 4 };
  } catch (cause) {
    throw new CliError(CliErrorCode.BAD_IMAGE, `'${path}' is not a readable PNG image (${(cause as Error).message})`, { cause });
  }
}

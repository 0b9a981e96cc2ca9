import type { ImageInput } from '@scratchnet/datasets';
import { decodeImage, isJpeg } from '@scratchnet/datasets/node';
import { CliError, CliErrorCode } from '../errors/cli-error.js';
import { decodePng, PNG_LIMITS, readRegularFile } from './read-png.js';

/** The files `predict` reads, by extension, for folders (a file named on the command line is read by its signature). */
export const PREDICT_IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];

/**
 * A PNG or JPEG file to RGBA samples for predict. Both go through readRegularFile (regular files
 * of at most PNG_LIMITS.maxFileBytes); a PNG through readPng's header checks, a JPEG through
 * jpeg-js (by @scratchnet/datasets, as image folders are decoded for training), refused before
 * its pixels are allocated when its frame declares more than PNG_LIMITS.maxPixels.
 */
export function readImage(path: string): ImageInput {
  const bytes = readRegularFile(path);
  if (!isJpeg(bytes)) return decodePng(path, bytes);
  try {
    const image = decodeImage(bytes, { maxPixels: PNG_LIMITS.maxPixels });
    return { width: image.width, height: image.height, data: image.data, channels: 4 };
  } catch (cause) {
    throw new CliError(CliErrorCode.BAD_IMAGE, `'${path}' is not a readable JPEG image (${(cause as Error).message})`, { cause });
  }
}

import { ConfigError, ErrorCode } from '../errors.js';

/** Largest side an image folder's images may be brought to. */
export const MAX_IMAGE_SIDE = 1024;

/**
 * `--image-size`: '28' (square) or '32x32' (rows x cols), each side 1 to 1024 pixels. Read the same
 * by the CLI's flag, a `--config` key and a checkpoint's recorded settings.
 */
export function parseImageSizeText(text: string, flag = '--image-size'): [rows: number, cols: number] {
  const match = /^\s*(\d+)\s*(?:[x×]\s*(\d+))?\s*$/i.exec(text);
  const rows = match ? Number(match[1]) : Number.NaN;
  const cols = match?.[2] ? Number(match[2]) : rows;
  if (!(rows >= 1 && rows <= MAX_IMAGE_SIDE && cols >= 1 && cols <= MAX_IMAGE_SIDE)) {
    throw new ConfigError(
      ErrorCode.INVALID_ARGUMENT,
      `${flag}: '${text}' is not an image size; give a side in pixels (e.g. 28) or rows x cols (e.g. 32x32), from 1 to ${MAX_IMAGE_SIDE}`,
    );
  }
  return [rows, cols];
}

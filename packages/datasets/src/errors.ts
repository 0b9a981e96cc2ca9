import { ScratchnetError } from '@scratchnet/core';

/**
 * Stable codes for everything that can go wrong while reading, verifying, fetching or caching
 * data. The CLI maps these to messages and exit codes in one place.
 */
export const DatasetErrorCode = {
  /** The first bytes are not an IDX magic number (0x00 0x00 type ndims). */
  BAD_MAGIC: 'BAD_MAGIC',
  /** The IDX type byte is not one of 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E. */
  UNKNOWN_TYPE: 'UNKNOWN_TYPE',
  /** The file ends before the header or the declared payload does. */
  TRUNCATED: 'TRUNCATED',
  /** The payload is longer than the dimensions declare. */
  LENGTH_MISMATCH: 'LENGTH_MISMATCH',
  /**
   * The declared dimensions exceed the allocation cap (a hostile or corrupt header), or a local
   * file is bigger than the official file can be. The file is not the official one: delete it.
   */
  TOO_LARGE: 'TOO_LARGE',
  /**
   * Gzip data inflates to more bytes than the official file's payload (a gzip bomb, or the wrong
   * file under an official name). Decompression stops at that size; delete the file and fetch it again.
   */
  INFLATE_TOO_LARGE: 'INFLATE_TOO_LARGE',
  /**
   * A server announced or sent more bytes than the official file has, plus a margin. The transfer
   * stops there and the mirror is not asked again for that file; use another mirror (SCRATCHNET_MIRROR).
   */
  DOWNLOAD_TOO_LARGE: 'DOWNLOAD_TOO_LARGE',
  /**
   * The path is a FIFO, device, socket or directory, not a regular file; it is refused before it
   * is opened for reading. Point at (or copy in) the real file.
   */
  NOT_A_FILE: 'NOT_A_FILE',
  /** The gzip stream is cut off or damaged. */
  BAD_GZIP: 'BAD_GZIP',
  /** Gzip data but no way to decompress it in this environment. */
  NO_DECOMPRESSOR: 'NO_DECOMPRESSOR',
  /** A file matches none of the published digests. */
  CHECKSUM_MISMATCH: 'CHECKSUM_MISMATCH',
  /** Every mirror failed. */
  DOWNLOAD_FAILED: 'DOWNLOAD_FAILED',
  /**
   * A server stopped answering for longer than the idle timeout, or a transfer was still running
   * at its overall deadline (SCRATCHNET_DOWNLOAD_TIMEOUT_MS / SCRATCHNET_DOWNLOAD_DEADLINE_MS
   * raise them on a slow line).
   */
  TIMEOUT: 'TIMEOUT',
  /** The name is not in the registry. */
  UNKNOWN_DATASET: 'UNKNOWN_DATASET',
  /** No cache entry, local copy or reachable mirror holds the file. */
  NOT_AVAILABLE: 'NOT_AVAILABLE',
  /** Files that parse but do not fit together (image/label counts, label range, shapes). */
  INCONSISTENT: 'INCONSISTENT',
  /**
   * Too little to train on: an image folder with fewer than two class folders, or a class with
   * no images, or a CSV with no rows. Add data or remove the empty class.
   */
  NOT_ENOUGH_DATA: 'NOT_ENOUGH_DATA',
  /** A CSV file that cannot be read as label + pixel columns; the message names the line. */
  BAD_CSV: 'BAD_CSV',
  /** A bad argument or option value. */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** The caller's AbortSignal fired. */
  ABORTED: 'ABORTED',
  /** The cache directory could not be written. */
  CACHE_ERROR: 'CACHE_ERROR',
} as const;
export type DatasetErrorCode = (typeof DatasetErrorCode)[keyof typeof DatasetErrorCode];

/** Every error thrown by @scratchnet/datasets. `file` names the file or URL involved, when there is one. */
export class DatasetError extends ScratchnetError {
  override readonly code: DatasetErrorCode;
  override readonly namespace = 'dataset';
  readonly file: string | undefined;
  constructor(code: DatasetErrorCode, message: string, options?: { file?: string; cause?: unknown }) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DatasetError';
    this.code = code;
    this.file = options?.file;
  }
}

/** True for a DatasetError, optionally with one of the given codes. */
export function isDatasetError(error: unknown, ...codes: DatasetErrorCode[]): error is DatasetError {
  return error instanceof DatasetError && (codes.length === 0 || codes.includes(error.code));
}

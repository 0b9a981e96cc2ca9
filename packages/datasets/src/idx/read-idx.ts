import { DatasetError, DatasetErrorCode } from '../errors.js';
import { type Decompressor, gzipError, isGzip, webDecompressor } from '../gzip.js';
import { IdxAssembler } from './idx-assembler.js';
import type { IdxReadOptions } from './idx-header.js';
import type { IdxArray } from './idx-types.js';

/**
 * Decodes an uncompressed IDX file held in memory. A ubyte payload is returned as a view into
 * a fresh copy, never into `bytes`. Throws DatasetError (BAD_MAGIC, UNKNOWN_TYPE, TRUNCATED,
 * LENGTH_MISMATCH, TOO_LARGE) naming `options.name`.
 */
export function parseIdx(bytes: Uint8Array, options: IdxReadOptions = {}): IdxArray {
  const name = options.name ?? 'IDX data';
  if (isGzip(bytes)) {
    throw new DatasetError(
      DatasetErrorCode.INVALID_ARGUMENT,
      `${name}: is gzip-compressed; use decodeIdx (async) to read compressed IDX data`,
      { file: name },
    );
  }
  const assembler = new IdxAssembler(options);
  assembler.push(bytes);
  return assembler.finish();
}

export interface DecodeIdxOptions extends IdxReadOptions {
  /** How to gunzip; defaults to DecompressionStream where the platform has it. */
  decompress?: Decompressor;
  /** Sees every decompressed payload chunk (header included), e.g. to hash it on the way. */
  onChunk?: (chunk: Uint8Array) => void;
}

/** Decodes IDX data that may be gzip-compressed (detected by its magic bytes). */
export async function decodeIdx(bytes: Uint8Array, options: DecodeIdxOptions = {}): Promise<IdxArray> {
  const name = options.name ?? 'IDX data';
  if (!isGzip(bytes)) {
    options.onChunk?.(bytes);
    return parseIdx(bytes, options);
  }
  const decompress = options.decompress ?? webDecompressor();
  if (!decompress) {
    throw new DatasetError(
      DatasetErrorCode.NO_DECOMPRESSOR,
      `${name}: is gzip-compressed and this environment has no DecompressionStream; pass a decompress function`,
      { file: name },
    );
  }
  return readIdxChunks(decompress(bytes), options);
}

/** Decodes uncompressed IDX data arriving as chunks, allocating the payload once. */
export async function readIdxChunks(
  chunks: AsyncIterable<Uint8Array>,
  options: Omit<DecodeIdxOptions, 'decompress'> = {},
): Promise<IdxArray> {
  const name = options.name ?? 'IDX data';
  const assembler = new IdxAssembler(options);
  try {
    for await (const chunk of chunks) {
      options.onChunk?.(chunk);
      assembler.push(chunk);
    }
  } catch (cause) {
    throw gzipError(name, cause);
  }
  return assembler.finish();
}

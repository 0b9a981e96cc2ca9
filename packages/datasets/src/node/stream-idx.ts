import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { DatasetError, DatasetErrorCode } from '../errors.js';
import { gzipError, isGzip } from '../gzip.js';
import { type IdxReadOptions, parseIdxHeader } from '../idx/idx-header.js';
import type { FileHandle } from 'node:fs/promises';
import { readChunks } from './regular-file.js';

/** The most header bytes an IDX file can have: 4 + 4 × 255 dimensions. */
const MAX_IDX_HEADER = 4 + 4 * 255;

/** The first bytes of an open file: enough to tell gzip from raw IDX and to read a raw header. */
export async function readHead(handle: FileHandle, size: number): Promise<Uint8Array> {
  const head = new Uint8Array(Math.min(size, MAX_IDX_HEADER));
  const { bytesRead } = await handle.read(head, 0, head.length, 0);
  return head.subarray(0, bytesRead);
}

/**
 * For an uncompressed IDX file: checks the size its header declares against the file's real
 * length before a byte of payload is read or allocated. Throws TRUNCATED (shorter) or
 * LENGTH_MISMATCH (longer), or the header's own errors (BAD_MAGIC, UNKNOWN_TYPE, TOO_LARGE).
 */
export function checkRawLength(head: Uint8Array, size: number, options: IdxReadOptions & { name: string }): void {
  const header = parseIdxHeader(head, options);
  if (!header) return; // Too short for a header: the assembler reports TRUNCATED.
  const declared = header.headerBytes + header.payloadBytes;
  if (declared === size) return;
  throw new DatasetError(
    declared > size ? DatasetErrorCode.TRUNCATED : DatasetErrorCode.LENGTH_MISMATCH,
    `${options.name}: IDX header declares ${declared} bytes (dimensions [${header.dims.join(', ')}]) but the file has ${size}; it is ${declared > size ? 'truncated' : 'corrupt'}, fetch it again`,
    { file: options.name },
  );
}

/**
 * Streams the IDX bytes of an open file — gunzipped when it starts with the gzip magic — to
 * `consume`, chunk by chunk (≤ 1 MiB), never holding the file whole. Inflation stops with
 * INFLATE_TOO_LARGE as soon as it passes `inflateLimit` bytes (the official payload size), so a
 * gzip bomb costs no more than the real file would.
 */
export async function streamIdxBytes(
  handle: FileHandle,
  size: number,
  head: Uint8Array,
  name: string,
  inflateLimit: number,
  consume: (chunk: Uint8Array) => void,
): Promise<void> {
  if (!isGzip(head)) {
    for await (const chunk of readChunks(handle, size)) consume(chunk);
    return;
  }
  let inflated = 0;
  // pipeline() may reject with the AbortError of the stream it tore down rather than the error
  // that made it tear down; the consumer's own error is the one worth reporting.
  let stoppedBy: unknown;
  try {
    await pipeline(Readable.from(readChunks(handle, size)), createGunzip({ chunkSize: 1 << 20 }), async (source: AsyncIterable<Uint8Array>) => {
      for await (const chunk of source) {
        inflated += chunk.length;
        if (inflated > inflateLimit) {
          stoppedBy = new DatasetError(
            DatasetErrorCode.INFLATE_TOO_LARGE,
            `${name}: gzip data inflates to more than the ${inflateLimit} bytes the official file has (a gzip bomb or the wrong file); decompression was stopped there — delete the file and fetch it again`,
            { file: name },
          );
          throw stoppedBy;
        }
        try {
          consume(chunk);
        } catch (error) {
          stoppedBy = error;
          throw error;
        }
      }
    });
  } catch (cause) {
    throw gzipError(name, stoppedBy ?? cause);
  }
}

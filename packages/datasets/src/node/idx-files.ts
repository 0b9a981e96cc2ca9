import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { DatasetError, DatasetErrorCode } from '../errors.js';
import type { IdxReadOptions } from '../idx/idx-header.js';
import { DEFAULT_MAX_IDX_BYTES, type IdxArray, type IdxTypeName } from '../idx/idx-types.js';
import { isGzip } from '../gzip.js';
import { IdxAssembler } from '../idx/idx-assembler.js';
import { encodeIdx } from '../idx/write-idx.js';
import { openRegularFile } from './regular-file.js';
import { checkRawLength, readHead, streamIdxBytes } from './stream-idx.js';

/**
 * The most a deflate stream can expand: a 258-byte match coded in under 2 bits gives at most
 * 1,032 bytes out per byte in (RFC 1951), so a gzip file of n bytes holds at most 1,032 · n.
 */
export const DEFLATE_MAX_RATIO = 1032;

/**
 * Reads an IDX file from disk, raw or gzip-compressed; errors name the path. No checksum check.
 * Only a regular file is opened (NOT_A_FILE otherwise); a raw file's declared size is checked
 * against its length before its payload is read, and a gzip file's against the most its size can
 * inflate to (DEFLATE_MAX_RATIO), so a small file cannot make it allocate a large buffer; the
 * file is streamed, never read whole.
 */
export async function readIdxFile(path: string, options: Omit<IdxReadOptions, 'name'> = {}): Promise<IdxArray> {
  const { handle, size } = await openRegularFile(path);
  try {
    const head = await readHead(handle, size);
    const readOptions: IdxReadOptions & { name: string } = { ...options, name: path };
    if (!isGzip(head)) checkRawLength(head, size, readOptions);
    else if (size * DEFLATE_MAX_RATIO < (options.maxBytes ?? DEFAULT_MAX_IDX_BYTES)) {
      readOptions.maxBytes = size * DEFLATE_MAX_RATIO;
      readOptions.maxBytesHint = `a ${size}-byte gzip file cannot inflate to more (${DEFLATE_MAX_RATIO}:1 at most), so the header is corrupt`;
    }
    const assembler = new IdxAssembler(readOptions);
    // The assembler stops a gzip bomb at the size its header declares (LENGTH_MISMATCH), itself capped by maxBytes.
    await streamIdxBytes(handle, size, head, path, Number.POSITIVE_INFINITY, (chunk) => assembler.push(chunk));
    return assembler.finish();
  } finally {
    await handle.close();
  }
}

/** Writes an IDX file atomically (temp + rename); gzip-compressed when the path ends in .gz. */
export async function writeIdxFile(path: string, array: { type: IdxTypeName; dims: readonly number[]; data: ArrayLike<number> }): Promise<void> {
  const raw = encodeIdx(array);
  const bytes = path.endsWith('.gz') ? gzipSync(raw) : raw;
  const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.part`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (cause) {
    await rm(temp, { force: true });
    throw new DatasetError(DatasetErrorCode.CACHE_ERROR, `${path}: cannot write (${(cause as Error).message})`, { file: path, cause });
  }
}

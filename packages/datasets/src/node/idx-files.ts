import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { DatasetError, DatasetErrorCode } from '../errors.js';
import type { IdxReadOptions } from '../idx/idx-header.js';
import type { IdxArray, IdxTypeName } from '../idx/idx-types.js';
import { decodeIdx } from '../idx/read-idx.js';
import { encodeIdx } from '../idx/write-idx.js';
import { nodeDecompressor } from './verify-file.js';

/** Reads an IDX file from disk, raw or gzip-compressed; errors name the path. No checksum check. */
export async function readIdxFile(path: string, options: Omit<IdxReadOptions, 'name'> = {}): Promise<IdxArray> {
  const bytes = await readFile(path).catch((cause) => {
    throw new DatasetError(DatasetErrorCode.NOT_AVAILABLE, `${path}: cannot read (${(cause as Error).message})`, { file: path, cause });
  });
  return decodeIdx(bytes, { ...options, name: path, decompress: nodeDecompressor });
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

import { createHash, type Hash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import { DatasetError, DatasetErrorCode } from '../errors.js';
import type { Decompressor } from '../gzip.js';
import { isGzip } from '../gzip.js';
import { IdxAssembler } from '../idx/idx-assembler.js';
import { DEFAULT_MAX_IDX_BYTES, type IdxArray } from '../idx/idx-types.js';
import { type ComputedDigests, type DatasetFileSpec, type DigestMatch, downloadCapBytes, matchDigests } from '../registry.js';
import { openRegularFile, readChunks } from './regular-file.js';
import { checkRawLength, readHead, streamIdxBytes } from './stream-idx.js';

/** Gunzip with node:zlib in 1 MiB chunks; errors (e.g. "unexpected end of file") surface as BAD_GZIP. */
export const nodeDecompressor: Decompressor = (compressed) => {
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  gunzip.end(compressed);
  return gunzip;
};

export interface VerifiedIdx {
  idx: IdxArray;
  /** Which published digest the file matched. */
  match: DigestMatch;
  /** Size of the file on disk. */
  bytes: number;
  digests: ComputedDigests;
}

/** Refusals about size and file type stand on their own; other decode errors mean "not the official file". */
const PASS_THROUGH: readonly string[] = [DatasetErrorCode.INFLATE_TOO_LARGE, DatasetErrorCode.TOO_LARGE, DatasetErrorCode.NOT_A_FILE];

/**
 * Reads an IDX file (gzip or raw), checks it against the published digests and decodes it.
 * Nothing is read whole: the file must be a regular file no bigger than any copy of the official
 * one can be (else NOT_A_FILE / TOO_LARGE); one streamed pass hashes the compressed bytes, a
 * second inflates them — stopping at the official payload size (INFLATE_TOO_LARGE) — into the
 * decoder and, when no compressed digest matched, the payload hash. Throws CHECKSUM_MISMATCH
 * when nothing matches (with the structural error, e.g. BAD_GZIP or TRUNCATED, as its cause
 * when the file cannot even be decoded).
 */
export async function readVerifiedIdx(path: string, file: DatasetFileSpec, maxBytes?: number): Promise<VerifiedIdx> {
  const result = await scanFile(path, file, { decode: true, maxBytes });
  return result as VerifiedIdx;
}

/** Like readVerifiedIdx without decoding: hashing only, in constant memory (for `data verify`). */
export async function verifyIdxFile(path: string, file: DatasetFileSpec, maxBytes?: number): Promise<Omit<VerifiedIdx, 'idx'>> {
  const { match, bytes, digests } = await scanFile(path, file, { decode: false, maxBytes });
  return { match, bytes, digests };
}

async function scanFile(
  path: string,
  file: DatasetFileSpec,
  options: { decode: boolean; maxBytes?: number },
): Promise<{ idx?: IdxArray; match: DigestMatch; bytes: number; digests: ComputedDigests }> {
  const { handle, size } = await openRegularFile(path);
  try {
    const head = await readHead(handle, size);
    const gzip = isGzip(head);
    const sizeCap = gzip || file.payloadBytes === undefined ? downloadCapBytes(file) : file.payloadBytes;
    if (size > sizeCap) {
      throw new DatasetError(
        DatasetErrorCode.TOO_LARGE,
        `${path}: is ${size} bytes, more than the ${sizeCap} any copy of ${file.fileName} can have; it is not the official file — delete it and fetch it again`,
        { file: path },
      );
    }
    const digests = await compressedDigests(handle, size, file);
    let match = matchDigests(file, digests);
    if (match && !options.decode) return { match, bytes: size, digests };

    const payloadHash = match ? undefined : createHash('sha256');
    const idxMax = Math.min(options.maxBytes ?? DEFAULT_MAX_IDX_BYTES, file.payloadBytes ?? Number.POSITIVE_INFINITY);
    const assembler = options.decode ? new IdxAssembler({ name: path, maxBytes: idxMax }) : undefined;
    let idx: IdxArray | undefined;
    try {
      if (!gzip && options.decode) checkRawLength(head, size, { name: path, maxBytes: idxMax });
      await streamIdxBytes(handle, size, head, path, file.payloadBytes ?? (options.maxBytes ?? DEFAULT_MAX_IDX_BYTES) + 1024, (chunk) => {
        payloadHash?.update(chunk);
        assembler?.push(chunk);
      });
      idx = assembler?.finish();
    } catch (error) {
      // Undecodable and matching no digest: to the user that is a bad file, whatever the detail.
      if (match || !(error instanceof DatasetError) || PASS_THROUGH.includes(error.code)) throw error;
      throw checksumMismatch(path, file, digests, error);
    }
    if (payloadHash) {
      digests.payloadSha256 = payloadHash.digest('hex');
      match = matchDigests(file, digests);
    }
    if (!match) throw checksumMismatch(path, file, digests);
    return { idx, match, bytes: size, digests };
  } finally {
    await handle.close();
  }
}

/** Streams the file once through the compressed-byte hashes the spec can be compared against. */
async function compressedDigests(handle: import('node:fs/promises').FileHandle, size: number, file: DatasetFileSpec): Promise<ComputedDigests> {
  const sha256 = file.compressed.some((d) => d.sha256) ? createHash('sha256') : undefined;
  const md5 = file.compressed.some((d) => d.md5) ? createHash('md5') : undefined;
  const hashes = [sha256, md5].filter((h): h is Hash => h !== undefined);
  if (hashes.length > 0) {
    for await (const chunk of readChunks(handle, size)) for (const h of hashes) h.update(chunk);
  }
  const digests: ComputedDigests = {};
  if (sha256) digests.compressedSha256 = sha256.digest('hex');
  if (md5) digests.compressedMd5 = md5.digest('hex');
  return digests;
}

function checksumMismatch(path: string, file: DatasetFileSpec, got: ComputedDigests, decodeError?: DatasetError): DatasetError {
  const expected = [
    ...file.compressed.flatMap((d) => [d.sha256 && `.gz sha256 ${d.sha256} (${d.source})`, d.md5 && `.gz md5 ${d.md5} (${d.source})`]),
    file.payloadSha256 && `payload sha256 ${file.payloadSha256}`,
  ].filter(Boolean);
  const actual = [
    got.compressedSha256 && `sha256 ${got.compressedSha256}`,
    got.compressedMd5 && `md5 ${got.compressedMd5}`,
    got.payloadSha256 && `payload sha256 ${got.payloadSha256}`,
  ].filter(Boolean);
  return new DatasetError(
    DatasetErrorCode.CHECKSUM_MISMATCH,
    `${path}: checksum mismatch for ${file.fileName} — got ${actual.join(', ')}${decodeError ? ` and it cannot be decoded (${decodeError.code})` : ''}; expected one of ${expected.join('; ')}. The file is damaged or not the official one: delete it and fetch it again`,
    { file: path, cause: decodeError },
  );
}

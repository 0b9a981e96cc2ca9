import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { DatasetError, DatasetErrorCode } from '../errors.js';
import type { Decompressor } from '../gzip.js';
import { decodeIdx } from '../idx/read-idx.js';
import type { IdxArray } from '../idx/idx-types.js';
import { type ComputedDigests, type DatasetFileSpec, type DigestMatch, matchDigests } from '../registry.js';

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

/**
 * Reads an IDX file (gzip or raw), checks it against the published digests and decodes it.
 * Compressed digests are tried first (cheap); otherwise the decompressed payload is hashed as
 * it is decoded. Throws CHECKSUM_MISMATCH when nothing matches (with the structural error, e.g.
 * BAD_GZIP or TRUNCATED, as its cause when the file cannot even be decoded).
 */
export async function readVerifiedIdx(path: string, file: DatasetFileSpec, maxBytes?: number): Promise<VerifiedIdx> {
  const bytes = await readFile(path).catch((cause) => {
    throw new DatasetError(DatasetErrorCode.NOT_AVAILABLE, `${path}: cannot read (${(cause as Error).message})`, { file: path, cause });
  });
  const digests = compressedDigests(bytes, file);
  let match = matchDigests(file, digests);
  const payloadHash = match ? undefined : createHash('sha256');
  let idx: IdxArray;
  try {
    idx = await decodeIdx(bytes, {
      name: path,
      maxBytes,
      decompress: nodeDecompressor,
      onChunk: payloadHash ? (chunk) => payloadHash.update(chunk) : undefined,
    });
  } catch (error) {
    // Undecodable and matching no digest: to the user that is a bad file, whatever the detail.
    if (match || !(error instanceof DatasetError)) throw error;
    throw checksumMismatch(path, file, digests, error);
  }
  if (payloadHash) {
    digests.payloadSha256 = payloadHash.digest('hex');
    match = matchDigests(file, digests);
  }
  if (!match) throw checksumMismatch(path, file, digests);
  return { idx, match, bytes: bytes.length, digests };
}

/** Hashes only what the spec can be compared against, stopping at the first match. */
function compressedDigests(bytes: Uint8Array, file: DatasetFileSpec): ComputedDigests {
  const digests: ComputedDigests = {};
  if (file.compressed.some((d) => d.sha256)) {
    digests.compressedSha256 = createHash('sha256').update(bytes).digest('hex');
    if (matchDigests(file, digests)) return digests;
  }
  if (file.compressed.some((d) => d.md5)) digests.compressedMd5 = createHash('md5').update(bytes).digest('hex');
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

import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DatasetError, DatasetErrorCode } from '../errors.js';
import type { DatasetFileSpec } from '../registry.js';
import { aborted, type DownloadProgress, FetchFailure, fetchToFile } from './fetch-to-file.js';
import { type VerifiedIdx, readVerifiedIdx } from './verify-file.js';

export interface DownloadOptions {
  /** Base URLs in the order to try them. */
  mirrors: readonly string[];
  /** Extra rounds over the mirrors after the first (default 2). */
  retries?: number;
  /** Wait before the second round, doubled each round after (default 1000 ms). */
  backoffMs?: number;
  /** Longest silence from a server before giving up on it, in ms (default 30 s). */
  timeoutMs?: number;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  maxBytes?: number;
}

/** The URL of a file under a mirror base URL. */
export function mirrorUrl(base: string, fileName: string): string {
  return `${base.replace(/\/+$/, '')}/${encodeURIComponent(fileName)}`;
}

/**
 * Fetches one file into `dest`, trying each mirror in order and going round again after a
 * backoff. Bytes go to a temporary file next to `dest` and are verified before a rename puts
 * them in place, so `dest` only ever holds a verified file: an interrupted transfer or a bad
 * mirror leaves it untouched, and two processes writing the same entry each rename a complete,
 * verified copy (rename replaces atomically).
 */
export async function downloadVerified(file: DatasetFileSpec, dest: string, options: DownloadOptions): Promise<VerifiedIdx & { url: string }> {
  const retries = options.retries ?? 2;
  const backoffMs = options.backoffMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (options.mirrors.length === 0) {
    throw new DatasetError(DatasetErrorCode.NOT_AVAILABLE, `${file.fileName}: no mirrors to download from`, { file: file.fileName });
  }
  await mkdir(dirname(dest), { recursive: true }).catch((cause) => {
    throw new DatasetError(DatasetErrorCode.CACHE_ERROR, `${dirname(dest)}: cannot create the cache folder (${(cause as Error).message}); set SCRATCHNET_CACHE_DIR to a writable folder`, { file: dest, cause });
  });
  await removeStaleParts(dest);
  const failures = new Map<string, { message: string; code: DatasetErrorCode; permanent: boolean }>();
  for (let round = 0; round <= retries; round++) {
    const candidates = options.mirrors.filter((m) => !failures.get(m)?.permanent);
    if (candidates.length === 0) break;
    if (round > 0) await sleep(backoffMs * 2 ** (round - 1), options.signal, file.fileName);
    for (const mirror of candidates) {
      if (options.signal?.aborted) throw aborted(file.fileName);
      const url = mirrorUrl(mirror, file.fileName);
      const temp = `${dest}.${process.pid}-${randomBytes(4).toString('hex')}.part`;
      try {
        await fetchToFile(url, temp, {
          file: file.fileName,
          timeoutMs,
          expectedBytes: file.compressedBytes,
          onProgress: options.onProgress,
          signal: options.signal,
        });
        const verified = await readVerifiedIdx(temp, file, options.maxBytes);
        await rename(temp, dest);
        return { ...verified, url };
      } catch (error) {
        await rm(temp, { force: true });
        // Another mirror will not fix an abort or an unwritable cache.
        if (error instanceof DatasetError && (error.code === DatasetErrorCode.ABORTED || error.code === DatasetErrorCode.CACHE_ERROR)) throw error;
        failures.set(mirror, describe(error, url));
      }
    }
  }
  throw allFailed(file, failures);
}

function describe(error: unknown, url: string): { message: string; code: DatasetErrorCode; permanent: boolean } {
  if (error instanceof FetchFailure) return { message: error.message, code: error.code, permanent: error.permanent };
  if (error instanceof DatasetError) {
    // A mirror serving the wrong bytes will keep serving them; a cut-off gzip may succeed next time.
    const permanent = error.code === DatasetErrorCode.CHECKSUM_MISMATCH;
    return { message: `${url}: ${error.message.replace(/^\S+\.part: /, '')}`, code: error.code, permanent };
  }
  return { message: `${url}: ${(error as Error)?.message ?? String(error)}`, code: DatasetErrorCode.DOWNLOAD_FAILED, permanent: false };
}

function allFailed(file: DatasetFileSpec, failures: Map<string, { message: string; code: DatasetErrorCode }>): DatasetError {
  const codes = new Set([...failures.values()].map((f) => f.code));
  // One shared cause gets its own code (e.g. every mirror timed out); a mix is DOWNLOAD_FAILED.
  const code = codes.size === 1 && (codes.has(DatasetErrorCode.CHECKSUM_MISMATCH) || codes.has(DatasetErrorCode.TIMEOUT))
    ? [...codes][0]
    : DatasetErrorCode.DOWNLOAD_FAILED;
  const reasons = [...failures.values()].map((f) => f.message).join('; ');
  return new DatasetError(
    code,
    `could not download ${file.fileName} from any mirror (${reasons}); check the network, or set SCRATCHNET_MIRROR or a data directory`,
    { file: file.fileName },
  );
}

/** Temp files older than this were left by a process that died mid-download. */
const STALE_PART_MS = 60 * 60 * 1000;

/** Removes `<dest>.*.part` files left by killed processes; fresh ones may belong to a live download. */
async function removeStaleParts(dest: string): Promise<void> {
  const dir = dirname(dest);
  const prefix = `${basename(dest)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.part')) continue;
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (info && now - info.mtimeMs > STALE_PART_MS) await rm(join(dir, name), { force: true });
  }
}

function sleep(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(what));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted(what));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DatasetError, DatasetErrorCode } from '../errors.js';
import { type DatasetFileSpec, downloadCapBytes } from '../registry.js';
import { aborted, type DownloadProgress, FetchFailure, fetchToFile } from './fetch-to-file.js';
import { removeDeadPartFiles } from './part-files.js';
import { type VerifiedIdx, readVerifiedIdx } from './verify-file.js';

export interface DownloadOptions {
  /** Base URLs in the order to try them. */
  mirrors: readonly string[];
  /** Extra rounds over the mirrors after the first (default 2). */
  retries?: number;
  /** Wait before the second round, doubled each round after (default 1000 ms). */
  backoffMs?: number;
  /** Longest silence from a server before giving up on it, in ms (default SCRATCHNET_DOWNLOAD_TIMEOUT_MS, else 30 s). */
  timeoutMs?: number;
  /**
   * Longest one request may take from start to last byte, in ms, however steadily bytes arrive
   * (default SCRATCHNET_DOWNLOAD_DEADLINE_MS, else 10 minutes). A mirror that misses it is not
   * asked again for that file.
   */
  deadlineMs?: number;
  /** Most bytes one download may bring (default: downloadCapBytes(file), the official size plus a margin). */
  maxDownloadBytes?: number;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Largest IDX payload accepted, bytes (default: the registry's payload size, else 1 GiB). */
  maxBytes?: number;
}

/** Default idle timeout of a download (ms). */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 30_000;
/** Default overall deadline of one download request (ms): 26 MB (Fashion-MNIST's largest file) at 44 KB/s. */
export const DEFAULT_DOWNLOAD_DEADLINE_MS = 10 * 60_000;

/** An option, else the environment variable, else the default; each must be a whole number of ms ≥ 1. */
export function durationSetting(option: number | undefined, envName: string, fallback: number): number {
  const raw = option ?? (process.env[envName] ? Number(process.env[envName]) : undefined);
  if (raw === undefined) return fallback;
  if (!Number.isSafeInteger(raw) || raw < 1) {
    const where = option === undefined ? `${envName}=${process.env[envName]}` : `${raw}`;
    throw new DatasetError(DatasetErrorCode.INVALID_ARGUMENT, `download time limit ${where} must be a whole number of milliseconds ≥ 1`);
  }
  return raw;
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
  return downloadWith(file, dest, options, (temp) => readVerifiedIdx(temp, file, options.maxBytes));
}

/**
 * The download loop of downloadVerified with any check: `verify(tempPath)` runs on each complete
 * download before it is renamed into place (throw a DatasetError to reject it; CHECKSUM_MISMATCH
 * means that mirror is not asked again). Used for archives such as CIFAR-10's.
 */
export async function downloadWith<T extends object>(file: DatasetFileSpec, dest: string, options: DownloadOptions, verify: (path: string) => Promise<T>): Promise<T & { url: string }> {
  const retries = options.retries ?? 2;
  const backoffMs = options.backoffMs ?? 1000;
  const timeoutMs = durationSetting(options.timeoutMs, 'SCRATCHNET_DOWNLOAD_TIMEOUT_MS', DEFAULT_DOWNLOAD_TIMEOUT_MS);
  const deadlineMs = durationSetting(options.deadlineMs, 'SCRATCHNET_DOWNLOAD_DEADLINE_MS', DEFAULT_DOWNLOAD_DEADLINE_MS);
  const maxDownloadBytes = options.maxDownloadBytes ?? downloadCapBytes(file);
  if (options.mirrors.length === 0) {
    throw new DatasetError(DatasetErrorCode.NOT_AVAILABLE, `${file.fileName}: no mirrors to download from`, { file: file.fileName });
  }
  await mkdir(dirname(dest), { recursive: true }).catch((cause) => {
    throw new DatasetError(DatasetErrorCode.CACHE_ERROR, `${dirname(dest)}: cannot create the cache folder (${(cause as Error).message}); set SCRATCHNET_CACHE_DIR to a writable folder`, { file: dest, cause });
  });
  await removeDeadPartFiles(dirname(dest));
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
          deadlineMs,
          maxBytes: maxDownloadBytes,
          expectedBytes: file.compressedBytes,
          onProgress: options.onProgress,
          signal: options.signal,
        });
        const verified = await verify(temp);
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
    const permanent = ([DatasetErrorCode.CHECKSUM_MISMATCH, DatasetErrorCode.INFLATE_TOO_LARGE, DatasetErrorCode.TOO_LARGE] as string[]).includes(error.code);
    return { message: `${url}: ${error.message.replace(/^\S+\.part: /, '')}`, code: error.code, permanent };
  }
  return { message: `${url}: ${(error as Error)?.message ?? String(error)}`, code: DatasetErrorCode.DOWNLOAD_FAILED, permanent: false };
}

function allFailed(file: DatasetFileSpec, failures: Map<string, { message: string; code: DatasetErrorCode }>): DatasetError {
  const codes = new Set([...failures.values()].map((f) => f.code));
  // One shared cause gets its own code (e.g. every mirror timed out); a mix is DOWNLOAD_FAILED.
  const own: DatasetErrorCode[] = [
    DatasetErrorCode.CHECKSUM_MISMATCH,
    DatasetErrorCode.TIMEOUT,
    DatasetErrorCode.DOWNLOAD_TOO_LARGE,
    DatasetErrorCode.INFLATE_TOO_LARGE,
    DatasetErrorCode.TOO_LARGE,
  ];
  const code = codes.size === 1 && own.includes([...codes][0]) ? [...codes][0] : DatasetErrorCode.DOWNLOAD_FAILED;
  const reasons = [...failures.values()].map((f) => f.message).join('; ');
  return new DatasetError(
    code,
    `could not download ${file.fileName} from any mirror (${reasons}); check the network, or set SCRATCHNET_MIRROR or a data directory`,
    { file: file.fileName },
  );
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

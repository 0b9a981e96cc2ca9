import { type FileHandle, open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DatasetError, DatasetErrorCode } from '../errors.js';
import { openRegularFile, readChunks } from './regular-file.js';

/** Reported as bytes arrive. `bytesTotal` is undefined when neither server nor registry knows the size. */
export interface DownloadProgress {
  /** Official file name, e.g. 'train-images-idx3-ubyte.gz'. */
  file: string;
  bytesDone: number;
  bytesTotal: number | undefined;
  /** Where the bytes come from. */
  url: string;
}

export interface FetchToFileOptions {
  /** Official file name, for progress and messages. */
  file: string;
  /** Longest wait for the response or for the next chunk, in ms. */
  timeoutMs: number;
  /** Longest the whole transfer may take, in ms, however steadily bytes arrive. */
  deadlineMs?: number;
  /** Most bytes accepted: a larger Content-Length is refused before the body, a longer body is cut at this size. */
  maxBytes?: number;
  /** Size to report when the server sends no Content-Length. */
  expectedBytes?: number;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

/** Why one attempt failed; `permanent` failures are not retried on the same mirror. */
export class FetchFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly code: DatasetErrorCode = DatasetErrorCode.DOWNLOAD_FAILED,
  ) {
    super(message);
  }
}

/**
 * Streams one URL (http, https or file) into `dest`, reporting progress and enforcing an idle
 * timeout, an overall deadline and a byte cap (so neither a trickling nor an endless server can
 * hold us or fill the disk). Throws FetchFailure for anything the next mirror might fix,
 * DatasetError ABORTED when the caller's signal fires.
 */
export async function fetchToFile(url: string, dest: string, options: FetchToFileOptions): Promise<number> {
  // Opened first: a cache folder we cannot write is the caller's problem, not the mirror's.
  const out: FileHandle = await open(dest, 'wx').catch((cause) => {
    throw new DatasetError(
      DatasetErrorCode.CACHE_ERROR,
      `${dest}: cannot write to the cache (${(cause as Error).message}); set SCRATCHNET_CACHE_DIR to a writable folder`,
      { file: dest, cause },
    );
  });
  let bytesDone = 0;
  try {
    const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    const { chunks, total } = url.startsWith('file:') ? await openFile(url, options) : await openHttp(url, options);
    const bytesTotal = total ?? options.expectedBytes;
    options.onProgress?.({ file: options.file, bytesDone, bytesTotal, url });
    try {
      for await (const chunk of chunks) {
        if (bytesDone + chunk.length > maxBytes) {
          throw new FetchFailure(
            `${url}: sent more than ${maxBytes} bytes, more than the official ${options.file} can have; stopped there (a wrong or broken mirror)`,
            true,
            DatasetErrorCode.DOWNLOAD_TOO_LARGE,
          );
        }
        await out.write(chunk);
        bytesDone += chunk.length;
        options.onProgress?.({ file: options.file, bytesDone, bytesTotal, url });
      }
    } catch (cause) {
      throw classify(cause, url, options, bytesDone);
    }
    if (total !== undefined && bytesDone !== total) {
      throw new FetchFailure(`${url}: transfer ended after ${bytesDone} of ${total} bytes`, false, DatasetErrorCode.TRUNCATED);
    }
    return bytesDone;
  } finally {
    await out.close();
  }
}

async function openFile(url: string, options: FetchToFileOptions): Promise<{ chunks: AsyncIterable<Uint8Array>; total: number | undefined }> {
  const path = fileURLToPath(url);
  // A FIFO or device behind a file:// mirror must not hang or flood us: regular files only.
  const { handle, size } = await openRegularFile(path).catch((cause) => {
    const code = cause instanceof DatasetError ? cause.code : DatasetErrorCode.NOT_AVAILABLE;
    throw new FetchFailure(`${url}: ${(cause as Error).message.replace(`${path}: `, '')}`, true, code);
  });
  if (size > (options.maxBytes ?? Number.POSITIVE_INFINITY)) {
    await handle.close();
    throw tooLargeAnnounced(url, size, options);
  }
  async function* chunks(): AsyncIterable<Uint8Array> {
    try {
      yield* readChunks(handle, size);
    } finally {
      await handle.close();
    }
  }
  return { chunks: chunks(), total: size };
}

function tooLargeAnnounced(url: string, total: number, options: FetchToFileOptions): FetchFailure {
  return new FetchFailure(
    `${url}: announced ${total} bytes, more than the ${options.maxBytes} the official ${options.file} can have; not downloading it (a wrong or broken mirror)`,
    true,
    DatasetErrorCode.DOWNLOAD_TOO_LARGE,
  );
}

/**
 * fetch() with one timer that is re-armed whenever anything arrives, so a server that never
 * answers and one that stalls half way both time out after `timeoutMs` of silence; and a second
 * timer that is never re-armed, so a server trickling a byte a second still stops at `deadlineMs`.
 */
async function openHttp(
  url: string,
  options: FetchToFileOptions,
): Promise<{ chunks: AsyncIterable<Uint8Array>; total: number | undefined }> {
  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
  };
  let pastDeadline = false;
  const deadline =
    options.deadlineMs === undefined
      ? undefined
      : setTimeout(() => {
          pastDeadline = true;
          controller.abort();
        }, options.deadlineMs);
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const cleanup = () => {
    clearTimeout(timer);
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', onAbort);
  };
  const fail = (cause: unknown): never => {
    cleanup();
    if (options.signal?.aborted) throw aborted(url);
    if (pastDeadline) {
      // Permanent: a mirror this slow will not finish in the next round either.
      throw new FetchFailure(
        `${url}: still transferring after ${options.deadlineMs} ms (the overall download deadline; set SCRATCHNET_DOWNLOAD_DEADLINE_MS to allow longer on a slow line)`,
        true,
        DatasetErrorCode.TIMEOUT,
      );
    }
    if (timedOut) {
      throw new FetchFailure(`${url}: no answer for ${options.timeoutMs} ms (timed out)`, false, DatasetErrorCode.TIMEOUT);
    }
    throw classify(cause, url, options, 0);
  };
  arm();
  const response = await fetch(url, { signal: controller.signal, redirect: 'follow' }).catch(fail);
  if (!response.ok || !response.body) {
    cleanup();
    await response.body?.cancel().catch(() => {});
    // 4xx will not change on a retry; 5xx and friends might.
    const permanent = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
    throw new FetchFailure(`${url}: HTTP ${response.status} ${response.statusText}`.trimEnd(), permanent);
  }
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 && !response.headers.get('content-encoding') ? length : undefined;
  const body = response.body;
  if (total !== undefined && total > (options.maxBytes ?? Number.POSITIVE_INFINITY)) {
    cleanup();
    await body.cancel().catch(() => {});
    throw tooLargeAnnounced(url, total, options);
  }
  async function* chunks(): AsyncIterable<Uint8Array> {
    const reader = body.getReader();
    try {
      for (;;) {
        arm();
        const { done, value } = await reader.read().catch(fail);
        if (done) return;
        yield value;
      }
    } finally {
      cleanup();
      reader.cancel().catch(() => {});
    }
  }
  return { chunks: chunks(), total };
}

function classify(cause: unknown, url: string, options: FetchToFileOptions, bytesDone: number): Error {
  if (cause instanceof FetchFailure || cause instanceof DatasetError) return cause;
  if (options.signal?.aborted) return aborted(url);
  const code = (cause as { cause?: { code?: string }; code?: string })?.cause?.code ?? (cause as { code?: string })?.code;
  const detail = code ?? (cause instanceof Error ? cause.message : String(cause));
  // A name that does not resolve, or a network with no route, will not change by the next round;
  // giving up at once keeps an offline machine from waiting through every backoff.
  const permanent = code !== undefined && ['ENOTFOUND', 'ENOENT', 'ENETUNREACH', 'EHOSTUNREACH'].includes(code);
  const where = bytesDone > 0 ? ` after ${bytesDone} bytes` : '';
  return new FetchFailure(`${url}: ${detail}${where}`, permanent);
}

export function aborted(what: string): DatasetError {
  return new DatasetError(DatasetErrorCode.ABORTED, `${what}: aborted`, { file: what });
}

import { Worker } from 'node:worker_threads';
import { DesktopError, DesktopErrorCode } from '../shared/desktop-error.js';
import type { CheckpointValidator } from './checkpoint-store.js';
import type { CheckpointCheckResult } from './checkpoint-worker.js';
import { MAX_CHECKPOINT_BYTES } from './ipc-schemas.js';

/** How much a check may cost before the worker is terminated. */
export interface CheckpointCheckLimits {
  /** Bytes accepted for a check at all. */
  maxBytes: number;
  /** Wall-clock time for a file of `bytes` bytes, worker start-up included. */
  timeoutMs(bytes: number): number;
  /** The worker's JavaScript heap (tensor bytes live outside it). */
  maxHeapMb: number;
}

/**
 * A real checkpoint decodes at ≈ 170 MB/s on the 2-core test machine (7.4 MB in 43 ms) and its
 * metadata is a few kilobytes of JSON. So 5 s plus 20 ms per MB (15 s for the 512 MB maximum)
 * and a 256 MB heap leave a real file several times its need, while a hostile one (a 15.8 MB v1
 * file whose migration wants 12 s and 2.7 GB) is stopped long before it hurts.
 */
export const DEFAULT_CHECKPOINT_CHECK_LIMITS: CheckpointCheckLimits = {
  maxBytes: MAX_CHECKPOINT_BYTES,
  timeoutMs: (bytes) => 5000 + Math.ceil((bytes / 1048576) * 20),
  maxHeapMb: 256,
};

/** The built worker, next to the main bundle (out/main/checkpoint-worker.js). */
export const CHECKPOINT_WORKER_URL = new URL('./checkpoint-worker.js', import.meta.url);

/**
 * A checkpoint is only handed to (or written for) the renderer after a full decode by
 * model-format: container, format version, tensor digest, spec and shapes. Decoding a hostile
 * file can take long, so it runs in a worker thread, one per check, and the main thread only
 * hands over the bytes and waits: the app stays responsive whatever the file costs. The bytes
 * travel to the worker and back without copies (their buffer is transferred), so callers must
 * use the returned array, not the one they passed.
 */
export function createCheckpointValidator(workerUrl: URL = CHECKPOINT_WORKER_URL, limits: CheckpointCheckLimits = DEFAULT_CHECKPOINT_CHECK_LIMITS): CheckpointValidator {
  return (bytes, name) => {
    if (bytes.length > limits.maxBytes) {
      return Promise.reject(new DesktopError(DesktopErrorCode.INVALID_FILE, `${name} is ${bytes.length} bytes, more than the ${limits.maxBytes}-byte limit for a checkpoint`));
    }
    return checkInWorker(workerUrl, ownedBuffer(bytes), name, limits);
  };
}

function checkInWorker(workerUrl: URL, bytes: Uint8Array, name: string, limits: CheckpointCheckLimits): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const timeoutMs = limits.timeoutMs(bytes.length);
    const worker = new Worker(workerUrl, {
      workerData: { bytes },
      transferList: [bytes.buffer as ArrayBuffer],
      resourceLimits: { maxOldGenerationSizeMb: limits.maxHeapMb },
    });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
      void worker.terminate();
    };
    const timer = setTimeout(() => {
      const seconds = (timeoutMs / 1000).toFixed(1);
      settle(() => reject(new DesktopError(DesktopErrorCode.VALIDATION_TIMEOUT, `Checking ${name} took longer than ${seconds} s and was stopped; the file is damaged or hostile`)));
    }, timeoutMs);
    worker.once('message', (result: CheckpointCheckResult) => {
      settle(() => (result.ok ? resolve(result.bytes) : reject(new DesktopError(result.code ?? DesktopErrorCode.INTERNAL, result.message))));
    });
    worker.once('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        settle(() =>
          reject(new DesktopError(DesktopErrorCode.VALIDATION_OUT_OF_MEMORY, `Checking ${name} needed more than ${limits.maxHeapMb} MB and was stopped; the file is damaged or hostile`, { cause: error })),
        );
      } else {
        settle(() => reject(new DesktopError(DesktopErrorCode.INTERNAL, `Checking ${name} failed: ${error.message}`, { cause: error })));
      }
    });
    worker.once('exit', (code) => {
      settle(() => reject(new DesktopError(DesktopErrorCode.INTERNAL, `Checking ${name} stopped without an answer (exit code ${code})`)));
    });
  });
}

/** Transferring detaches the whole buffer: give a view into a larger buffer (or a pooled Buffer) its own. */
function ownedBuffer(view: Uint8Array): Uint8Array {
  const standalone = view.byteOffset === 0 && view.byteLength === view.buffer.byteLength && view.buffer instanceof ArrayBuffer;
  return standalone ? view : view.slice();
}

/**
 * Worker-thread entry (built as out/main/checkpoint-worker.js): fully decodes one checkpoint with
 * model-format, off the Electron main thread, and sends the bytes back (transferred, not copied)
 * or the error's code and message. The main side (checkpoint-validation.ts) caps the time and
 * memory this may take and terminates the worker past them. Imports nothing of the app but types,
 * so the bundle stays one small file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeCheckpoint } from '@scratchnet/model-format';

/** What the main thread hands over (as `workerData`, with the buffer transferred). */
export interface CheckpointCheckRequest {
  bytes: Uint8Array;
}

/** What comes back: the same bytes when they decode, otherwise the typed error's code and message. */
export type CheckpointCheckResult = { ok: true; bytes: Uint8Array } | { ok: false; code: string | null; message: string };

const { bytes } = workerData as CheckpointCheckRequest;
let result: CheckpointCheckResult;
try {
  decodeCheckpoint(bytes);
  result = { ok: true, bytes };
} catch (error) {
  const code = (error as { code?: unknown } | null)?.code;
  const typed = error instanceof Error && error.name !== 'Error' && typeof code === 'string';
  result = { ok: false, code: typed ? code : null, message: error instanceof Error ? error.message : String(error) };
}
parentPort!.postMessage(result, result.ok ? [bytes.buffer as ArrayBuffer] : []);

/**
 * Entry of the checkpoint-check process (built as out/main/checkpoint-checker.js): fully decodes
 * one checkpoint (or ONNX model) with model-format, in a process of its own, and answers with null or the error's
 * code and message. The main process (checkpoint-validation.ts) caps its heap and time and kills it
 * past them. A process rather than a worker thread: a worker that reaches its heap limit can abort
 * the whole app (V8's fatal out-of-memory), a child only itself. Runs under Electron's
 * utilityProcess (`process.parentPort`) and under Node's `child_process.fork` (`process.send`).
 * Imports nothing of the app but types, so the bundle stays one small file.
 */
import { decodeModelFile } from '@scratchnet/model-format';

/** The answer: null when the bytes decode, otherwise the typed error's code and message. */
export type CheckpointCheckAnswer = null | { code: string | null; message: string };

function check(bytes: Uint8Array): CheckpointCheckAnswer {
  try {
    // A checkpoint, or an ONNX model imported and checked the same way (decodeCheckpoint underneath).
    decodeModelFile(bytes);
    return null;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const typed = error instanceof Error && error.name !== 'Error' && typeof code === 'string';
    return { code: typed ? code : null, message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The bytes arrive in pieces so that the main thread never serialises more than one piece at a
 * time: first the total size, then chunks in order. The check runs once all have arrived.
 */
export type CheckpointCheckMessage = number | Uint8Array;

function receive(onMessage: (message: CheckpointCheckMessage) => void): void {
  const parentPort = (process as { parentPort?: { on(event: 'message', listener: (event: { data: unknown }) => void): void } }).parentPort;
  if (parentPort) parentPort.on('message', ({ data }) => onMessage(data as CheckpointCheckMessage));
  else process.on('message', (message) => onMessage(message as CheckpointCheckMessage));
}

function answer(result: CheckpointCheckAnswer): void {
  const parentPort = (process as { parentPort?: { postMessage(message: unknown): void } }).parentPort;
  if (parentPort) parentPort.postMessage(result);
  else process.send!(result);
}

let bytes: Uint8Array | null = null;
let filled = 0;
receive((message) => {
  if (bytes === null) bytes = new Uint8Array(message as number);
  else {
    bytes.set(message as Uint8Array, filled);
    filled += (message as Uint8Array).length;
  }
  if (filled === bytes.length) answer(check(bytes));
});

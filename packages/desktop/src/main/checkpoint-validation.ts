import { fileURLToPath } from 'node:url';
import { DesktopError, DesktopErrorCode } from '../shared/desktop-error.js';
import type { CheckProcess, CheckProcessExit, LaunchCheckProcess } from './check-process.js';
import type { CheckpointCheckAnswer, CheckpointCheckMessage } from './checkpoint-checker.js';
import type { CheckpointValidator } from './checkpoint-store.js';
import { MAX_CHECKPOINT_BYTES } from './ipc-schemas.js';

/** How much a check may cost before its process is killed. */
export interface CheckpointCheckLimits {
  /** Bytes accepted for a check at all. */
  maxBytes: number;
  /** Wall-clock time for a file of `bytes` bytes, process start-up included. */
  timeoutMs(bytes: number): number;
  /** The check process's JavaScript heap (tensor bytes live outside it). */
  maxHeapMb: number;
}

/**
 * A real checkpoint decodes at 26–170 MB/s on the 2-core test machine, depending on its load and
 * on a cold or warm JIT (7.4 MB in 43 ms idle; 76 MB in 2.9 s in a fresh worker at load 20), and
 * needs little heap: its metadata is a few kilobytes of JSON and its tensors live outside the JS
 * heap (a 76 MB file decodes within a 16 MB heap). So 10 s plus 100 ms per MB (61 s at the 512 MB
 * cap, a 10 MB/s floor) and a 128 MB heap leave a real file many times its need even on a busy
 * machine. The app stays responsive meanwhile; the limits make sure a hostile file (the 15.8 MB
 * v1 file whose migration wants 12–31 s and 2.7 GB) ends, and soon.
 */
export const DEFAULT_CHECKPOINT_CHECK_LIMITS: CheckpointCheckLimits = {
  maxBytes: MAX_CHECKPOINT_BYTES,
  timeoutMs: (bytes) => 10_000 + Math.ceil((bytes / 1048576) * 100),
  maxHeapMb: 128,
};

/** The built checker, next to the main bundle (out/main/checkpoint-checker.js). */
export const CHECKPOINT_CHECKER_PATH = fileURLToPath(new URL('./checkpoint-checker.js', import.meta.url));

/**
 * A checkpoint is only handed to (or written for) the renderer after a full decode by
 * model-format: container, format version, tensor digest, spec and shapes. Decoding a hostile
 * file can take long and much memory, so it runs in a process of its own, one per check: the
 * main thread (which also drives the window) only streams the bytes and waits for the answer, and
 * a check past its limits is killed and answered with a typed error.
 */
export function createCheckpointValidator(launch: LaunchCheckProcess, limits: CheckpointCheckLimits = DEFAULT_CHECKPOINT_CHECK_LIMITS): CheckpointValidator {
  return async (bytes, name) => {
    if (bytes.length > limits.maxBytes) {
      throw new DesktopError(DesktopErrorCode.INVALID_FILE, `${name} is ${bytes.length} bytes, more than the ${limits.maxBytes}-byte limit for a checkpoint`);
    }
    const answer = await checkInProcess(launch, bytes, name, limits);
    if (answer) throw new DesktopError(answer.code ?? DesktopErrorCode.INTERNAL, answer.message);
    return bytes;
  };
}

function checkInProcess(launch: LaunchCheckProcess, bytes: Uint8Array, name: string, limits: CheckpointCheckLimits): Promise<CheckpointCheckAnswer> {
  return new Promise((resolve, reject) => {
    const timeoutMs = limits.timeoutMs(bytes.length);
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
      child.kill();
    };
    const child = launch({
      heapMb: limits.maxHeapMb,
      onMessage: (answer) => settle(() => resolve(answer as CheckpointCheckAnswer)),
      onExit: (exit) => settle(() => reject(unanswered(exit, name, limits))),
    });
    timer = setTimeout(() => {
      const seconds = (timeoutMs / 1000).toFixed(1);
      settle(() => reject(new DesktopError(DesktopErrorCode.VALIDATION_TIMEOUT, `Checking ${name} took longer than ${seconds} s and was stopped; the file is damaged or hostile`)));
    }, timeoutMs);
    void streamBytes(child, bytes, () => settled);
  });
}

/**
 * Serialising a message blocks the main thread for its whole length (through Node's IPC here:
 * 26 ms for one 16 MB message, 660 ms for 512 MB, 18–47 ms per 4 MB piece, under 1 ms per 1 MB
 * piece), so the bytes go as 1 MB copies (a view would serialise its whole buffer), each sent
 * once the previous one is written.
 */
const CHUNK_BYTES = 1024 * 1024;

async function streamBytes(child: CheckProcess, bytes: Uint8Array, stopped: () => boolean): Promise<void> {
  try {
    await child.send(bytes.length satisfies CheckpointCheckMessage);
    for (let offset = 0; offset < bytes.length && !stopped(); offset += CHUNK_BYTES) {
      await child.send(bytes.slice(offset, offset + CHUNK_BYTES) satisfies CheckpointCheckMessage);
    }
  } catch {
    // The process is gone; its exit (or the timer) answers.
  }
}

/** The checker ended without answering: out of heap (V8 says so on stderr and aborts), or something else. */
function unanswered(exit: CheckProcessExit, name: string, limits: CheckpointCheckLimits): DesktopError {
  if (/heap out of memory|heap limit/i.test(exit.stderr) || exit.signal === 'SIGABRT') {
    return new DesktopError(DesktopErrorCode.VALIDATION_OUT_OF_MEMORY, `Checking ${name} needed more than ${limits.maxHeapMb} MB and was stopped; the file is damaged or hostile`);
  }
  const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
  const detail = exit.stderr.trim().split('\n')[0]?.slice(0, 200);
  return new DesktopError(DesktopErrorCode.INTERNAL, `Checking ${name} stopped without an answer (${how})${detail ? `: ${detail}` : ''}`);
}

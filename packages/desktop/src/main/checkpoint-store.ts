import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { atomicWriteFile } from '@scratchnet/model-format/node';
import type { CheckpointFile, SavedCheckpoint } from '../shared/bridge-api.js';
import { DesktopError, DesktopErrorCode } from '../shared/desktop-error.js';
import type { CheckpointStore } from './host-services.js';
import { MAX_CHECKPOINT_BYTES } from './ipc-schemas.js';

/** Throws a typed error when bytes are not a checkpoint this app can load. */
export type CheckpointValidator = (bytes: Uint8Array, name: string) => void;

/**
 * Checkpoints on the local disk. Reads are capped and validated before anything reaches the
 * renderer; writes use model-format's atomic writer (temporary file in the same folder, fsync,
 * rename), so a crash mid-save never leaves a half-written checkpoint.
 */
export function createCheckpointStore(validate: CheckpointValidator): CheckpointStore {
  return {
    async read(path) {
      const name = basename(path);
      const size = await fileAccess(`read ${name}`, async () => (await stat(path)).size);
      if (size > MAX_CHECKPOINT_BYTES) {
        throw new DesktopError(DesktopErrorCode.INVALID_FILE, `${name} is ${size} bytes, more than the ${MAX_CHECKPOINT_BYTES}-byte limit for a checkpoint; pick a scratchnet .safetensors file`);
      }
      const bytes = await fileAccess(`read ${name}`, () => readCapped(path, MAX_CHECKPOINT_BYTES));
      validate(bytes, name);
      return { name, bytes } satisfies CheckpointFile;
    },
    async write(path, bytes) {
      validate(bytes, basename(path));
      await fileAccess(`save ${basename(path)}`, () => atomicWriteFile(path, bytes));
      return { name: path } satisfies SavedCheckpoint;
    },
  };
}

/** Reads a whole file, refusing to grow past `cap` even if the file grows while being read. */
async function readCapped(path: string, cap: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = new Uint8Array(Math.min(size, cap));
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return bytes.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/** Runs a file operation, turning Node's errno errors into a FILE_ACCESS error that says what failed. */
async function fileAccess<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DesktopError) throw error;
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new DesktopError(DesktopErrorCode.FILE_ACCESS, `Could not ${what} (${reason}); check the file exists and you may access it`, { cause: error });
  }
}

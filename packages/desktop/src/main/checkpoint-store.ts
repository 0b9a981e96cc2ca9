import { basename } from 'node:path';
import { atomicWriteFile } from '@scratchnet/model-format/node';
import type { CheckpointFile, SavedCheckpoint } from '../shared/bridge-api.js';
import type { CheckpointStore } from './host-services.js';
import { MAX_CHECKPOINT_BYTES } from './ipc-schemas.js';
import { checkWritableTarget, fileAccess, readRegularFile } from './regular-file.js';

/**
 * Resolves with the checkpoint's bytes (possibly a new array: they may have been moved to a
 * worker and back) or rejects with a typed error when they are not a checkpoint this app can load.
 */
export type CheckpointValidator = (bytes: Uint8Array, name: string) => Promise<Uint8Array>;

const PICK_A_CHECKPOINT = 'pick a scratchnet .safetensors file';

/**
 * Checkpoints on the local disk. Reads take regular files only, are capped and validated before
 * anything reaches the renderer; writes never replace anything but a regular file, and use
 * model-format's atomic writer (temporary file in the same folder, fsync, rename), so a crash
 * mid-save never leaves a half-written checkpoint.
 */
export function createCheckpointStore(validate: CheckpointValidator): CheckpointStore {
  return {
    async read(path) {
      const name = basename(path);
      const bytes = await readRegularFile(path, MAX_CHECKPOINT_BYTES, PICK_A_CHECKPOINT);
      return { name, bytes: await validate(bytes, name) } satisfies CheckpointFile;
    },
    async write(path, bytes) {
      const name = basename(path);
      await checkWritableTarget(path);
      const checked = await validate(bytes, name);
      await fileAccess(`save ${name}`, () => atomicWriteFile(path, checked));
      return { name: path } satisfies SavedCheckpoint;
    },
  };
}

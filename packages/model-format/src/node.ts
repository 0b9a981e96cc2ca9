/**
 * @scratchnet/model-format/node — checkpoints as files: atomic save, validated read.
 */
import { readFile, stat } from 'node:fs/promises';
import { atomicWriteFile } from './atomic-write.js';
import { encodeCheckpoint } from './checkpoint-encode.js';
import { type DecodeCheckpointOptions, decodeCheckpoint } from './checkpoint-decode.js';
import type { CheckpointInput, DecodedCheckpoint } from './checkpoint-types.js';
import { FormatError, FormatErrorCode } from './errors.js';
import { type LoadModelOptions, type LoadedModel, modelFromCheckpoint } from './load-model.js';

export { atomicWriteFile } from './atomic-write.js';

/** Largest checkpoint file `readCheckpoint` opens by default (2 GiB, a Node Buffer limit anyway). */
export const DEFAULT_MAX_FILE_BYTES = 2 ** 31 - 1;

export interface ReadCheckpointOptions extends DecodeCheckpointOptions {
  /** Refuse files larger than this many bytes. Default {@link DEFAULT_MAX_FILE_BYTES}. */
  maxFileBytes?: number;
}

/**
 * Encodes a checkpoint and writes it atomically to `path` (see {@link atomicWriteFile}): if the
 * process dies mid-save, the previous file at `path` is left intact.
 *
 * @throws FormatError INVALID_INPUT for bad contents, IO_ERROR when the file cannot be written.
 */
export async function saveCheckpoint(path: string, input: CheckpointInput): Promise<void> {
  const bytes = encodeCheckpoint(input);
  try {
    await atomicWriteFile(path, bytes);
  } catch (cause) {
    throw ioError('write', path, cause);
  }
}

/** Reads and validates the checkpoint at `path`. @throws FormatError (IO_ERROR when unreadable). */
export async function readCheckpoint(path: string, options: ReadCheckpointOptions = {}): Promise<DecodedCheckpoint> {
  return decodeCheckpoint(await readBytes(path, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES), options);
}

/** Reads the checkpoint at `path` and rebuilds its model. @throws FormatError */
export async function loadModelFile(path: string, options: LoadModelOptions & ReadCheckpointOptions = {}): Promise<LoadedModel> {
  const checkpoint = await readCheckpoint(path, options);
  return { ...checkpoint, model: modelFromCheckpoint(checkpoint, options.backend) };
}

async function readBytes(path: string, maxFileBytes: number): Promise<Uint8Array> {
  try {
    const { size } = await stat(path);
    if (size > maxFileBytes) {
      throw new FormatError(FormatErrorCode.FILE_TOO_LARGE, `${path} is ${size} bytes, over the ${maxFileBytes}-byte limit; raise maxFileBytes if it is genuine`);
    }
    const buffer = await readFile(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (cause) {
    if (cause instanceof FormatError) throw cause;
    throw ioError('read', path, cause);
  }
}

function ioError(action: 'read' | 'write', path: string, cause: unknown): FormatError {
  const code = (cause as NodeJS.ErrnoException)?.code;
  const hint =
    code === 'ENOENT' ? (action === 'read' ? 'check the path' : 'create the directory first')
    : code === 'EACCES' || code === 'EPERM' ? 'check the file permissions'
    : code === 'ENOSPC' ? 'free some disk space'
    : 'check the path and try again';
  return new FormatError(FormatErrorCode.IO_ERROR, `cannot ${action} checkpoint ${path}: ${(cause as Error)?.message ?? cause}; ${hint}`, { cause });
}

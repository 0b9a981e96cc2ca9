/**
 * @scratchnet/model-format/node — checkpoints as files: atomic save, validated read.
 */
import { createHash } from 'node:crypto';
import { atomicWriteFile } from './atomic-write.js';
import { encodeCheckpoint } from './checkpoint-encode.js';
import { type DecodeCheckpointOptions, checkpointFromSafetensors } from './checkpoint-decode.js';
import type { CheckpointInput, DecodedCheckpoint } from './checkpoint-types.js';
import { type LoadModelOptions, type LoadedModel, modelFromCheckpoint } from './load-model.js';
import { type OnnxModel, readOnnx } from './onnx-read.js';
import { DEFAULT_MAX_FILE_BYTES, ioError, openRegularFile, readAt, readRegularFile } from './regular-file.js';
import { checkDataLength, headerLengthOf, parseSafetensorsHeader, withData } from './safetensors-read.js';

export { atomicWriteFile } from './atomic-write.js';
export { DEFAULT_MAX_FILE_BYTES, type ReadRegularFileOptions, readRegularFile } from './regular-file.js';

export interface ReadCheckpointOptions extends DecodeCheckpointOptions {
  /** Refuse files larger than this many bytes. Default {@link DEFAULT_MAX_FILE_BYTES}. */
  maxFileBytes?: number;
}

/**
 * Encodes a checkpoint and writes it atomically to `path` (see {@link atomicWriteFile}): if the
 * process dies mid-save, the previous file at `path` is left intact.
 *
 * @throws FormatError INVALID_INPUT for bad contents, NOT_A_REGULAR_FILE when `path` is a device,
 *   FIFO, socket or directory (it is left untouched), IO_ERROR when the file cannot be written.
 */
export async function saveCheckpoint(path: string, input: CheckpointInput): Promise<void> {
  const bytes = encodeCheckpoint(input);
  try {
    await atomicWriteFile(path, bytes, { what: 'checkpoint' });
  } catch (cause) {
    throw ioError('write', 'checkpoint', path, cause);
  }
}

/**
 * Reads and validates the checkpoint at `path`, piece by piece so that a hostile file costs no
 * more than its announced parts: refuses anything but a regular file before opening it
 * (NOT_A_REGULAR_FILE), reads the 8-byte length and checks it against the cap and the file's real
 * size, reads and validates the header, checks that the tensors it announces fill the rest of the
 * file exactly, and only then reads the data section.
 *
 * @throws FormatError (IO_ERROR when unreadable).
 */
export async function readCheckpoint(path: string, options: ReadCheckpointOptions = {}): Promise<DecodedCheckpoint> {
  const what = 'checkpoint';
  const { handle, size } = await openRegularFile(path, what, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  try {
    const headerLength = headerLengthOf(await readAt(handle, 0, Math.min(8, size), path, what), size, options.maxHeaderBytes);
    const header = parseSafetensorsHeader(await readAt(handle, 8, headerLength, path, what));
    const dataLength = size - 8 - headerLength;
    // Announced sizes against the real one before a data byte is read or allocated.
    checkDataLength(header.dataLength, dataLength);
    const data = await readAt(handle, 8 + headerLength, dataLength, path, what);
    return checkpointFromSafetensors(withData(header, data), nodeSha256Hex);
  } finally {
    await handle.close();
  }
}

function nodeSha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Reads the checkpoint at `path` and rebuilds its model. @throws FormatError */
export async function loadModelFile(path: string, options: LoadModelOptions & ReadCheckpointOptions = {}): Promise<LoadedModel> {
  const checkpoint = await readCheckpoint(path, options);
  return { ...checkpoint, model: modelFromCheckpoint(checkpoint, options.backend) };
}

export interface ReadOnnxOptions {
  /** Refuse files larger than this many bytes. Default {@link DEFAULT_MAX_FILE_BYTES}. */
  maxFileBytes?: number;
}

/**
 * Reads and decodes the .onnx file at `path` with the checkpoint reader's bounds: a regular file
 * only (NOT_A_REGULAR_FILE), at most `maxFileBytes` (FILE_TOO_LARGE), then {@link readOnnx}.
 *
 * @throws FormatError (IO_ERROR when unreadable).
 */
export async function readOnnxFile(path: string, options: ReadOnnxOptions = {}): Promise<OnnxModel> {
  return readOnnx(await readRegularFile(path, { maxBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, what: 'ONNX model' }));
}

/** Writes .onnx bytes (from `exportOnnx`) atomically to `path`, as {@link saveCheckpoint} does. @throws FormatError */
export async function saveOnnxFile(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await atomicWriteFile(path, bytes, { what: 'ONNX model' });
  } catch (cause) {
    throw ioError('write', 'ONNX model', path, cause);
  }
}

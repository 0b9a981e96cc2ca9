/**
 * @scratchnet/model-format/node — checkpoints as files: atomic save, validated read.
 */
import { createHash } from 'node:crypto';
import { atomicWriteFile } from './atomic-write.js';
import { encodeCheckpoint } from './checkpoint-encode.js';
import { type DecodeCheckpointOptions, checkpointFromSafetensors } from './checkpoint-decode.js';
import type { CheckpointExtras, CheckpointInput, DecodedCheckpoint, ModelLike } from './checkpoint-types.js';
import { type LoadModelOptions, type LoadedModel, modelFromCheckpoint } from './load-model.js';
import { FormatError, FormatErrorCode } from './errors.js';
import { type OnnxModel, readOnnx } from './onnx-read.js';
import { WIRE, readVarint } from './protobuf.js';
import { DEFAULT_MAX_FILE_BYTES, ioError, openRegularFile, readAt } from './regular-file.js';
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

/**
 * Saves a model as a checkpoint at `path` (atomically), as torch.save(model.state_dict()) plus
 * what it is: `saveModel('mnist.safetensors', model, { classNames, training })`. Class names
 * default to '0', '1', … (one per output).
 * @throws FormatError (INVALID_INPUT, NOT_A_REGULAR_FILE, IO_ERROR).
 */
export async function saveModel(path: string, model: ModelLike & { readonly outputSize?: number }, extras: Partial<CheckpointExtras> = {}): Promise<void> {
  const outputs = model.outputSize ?? 0;
  const classNames = extras.classNames ?? Array.from({ length: outputs }, (_, i) => String(i));
  await saveCheckpoint(path, { ...extras, model, classNames });
}

/** Reads a checkpoint file and rebuilds its model in eval mode (what {@link saveModel} wrote, or the CLI or desktop). @throws FormatError */
export function loadModel(path: string, options: LoadModelOptions & ReadCheckpointOptions = {}): Promise<LoadedModel> {
  return loadModelFile(path, options);
}

export interface ReadOnnxOptions {
  /** Refuse files larger than this many bytes. Default {@link DEFAULT_MAX_FILE_BYTES}. */
  maxFileBytes?: number;
}

/**
 * Fields the file reader walks before reading the whole file: a ModelProto's top level (metadata
 * entries included), and inside its graph (nodes, initializers, inputs, outputs, value_info).
 */
const MAX_ONNX_TOP_FIELDS = 4096;
const MAX_ONNX_GRAPH_FIELDS = 100_000;

/**
 * Reads and decodes the .onnx file at `path` with the checkpoint reader's bounds: a regular file
 * only (NOT_A_REGULAR_FILE), at most `maxFileBytes` (FILE_TOO_LARGE). Like the checkpoint reader,
 * it first walks the structure the file announces — each field's key and length, a few bytes
 * each, at the top level and inside the graph — and checks that it fills the file exactly; only
 * then does it read the whole file and decode it with {@link readOnnx}. A large file that is not
 * ONNX, or that lies about its lengths, costs a few small reads.
 *
 * @throws FormatError (IO_ERROR when unreadable).
 */
export async function readOnnxFile(path: string, options: ReadOnnxOptions = {}): Promise<OnnxModel> {
  const what = 'ONNX model';
  const { handle, size } = await openRegularFile(path, what, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  try {
    const walk = async (start: number, end: number, maxFields: number, visit?: (field: number, from: number, to: number) => Promise<void>) => {
      let position = start;
      for (let fields = 0; position < end; fields++) {
        if (fields >= maxFields) throw new FormatError(FormatErrorCode.LIMIT_EXCEEDED, `${what} ${path} has more than ${maxFields} fields in one message: it is damaged or hostile`);
        const head = await readAt(handle, position, Math.min(20, end - position), path, what);
        const [key, afterKey] = readVarint(head, 0, what);
        const field = Math.floor(key / 8);
        const wire = key % 8;
        let next: number;
        let body = position + afterKey;
        if (field < 1) next = Number.NaN;
        else if (wire === WIRE.VARINT) next = position + readVarint(head, afterKey, what)[1];
        else if (wire === WIRE.FIXED32) next = body + 4;
        else if (wire === WIRE.FIXED64) next = body + 8;
        else if (wire === WIRE.BYTES) {
          const [length, afterLength] = readVarint(head, afterKey, what);
          body = position + afterLength;
          next = body + length;
        } else next = Number.NaN;
        if (Number.isNaN(next)) throw new FormatError(FormatErrorCode.BAD_ONNX, `${what} ${path}: byte ${position} holds field ${field} of wire type ${wire}, which ONNX does not use: this is not an ONNX model (or it is damaged)`);
        if (!(next <= end)) throw new FormatError(FormatErrorCode.TRUNCATED, `${what} ${path}: a field at byte ${position} announces ${next - position} bytes but its message ends at byte ${end}: the file was cut off or is not an ONNX model`);
        if (wire === WIRE.BYTES) await visit?.(field, body, next);
        position = next;
      }
    };
    await walk(0, size, MAX_ONNX_TOP_FIELDS, async (field, from, to) => {
      if (field === 7) await walk(from, to, MAX_ONNX_GRAPH_FIELDS);
    });
    return readOnnx(await readAt(handle, 0, size, path, what));
  } finally {
    await handle.close();
  }
}

/** Writes .onnx bytes (from `exportOnnx`) atomically to `path`, as {@link saveCheckpoint} does. @throws FormatError */
export async function saveOnnxFile(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await atomicWriteFile(path, bytes, { what: 'ONNX model' });
  } catch (cause) {
    throw ioError('write', 'ONNX model', path, cause);
  }
}

import type { ModelSpec, TrainerState } from '@scratchnet/core';
import { shapeSize, validateModelSpec } from '@scratchnet/core';
import { z } from 'zod';
import { type RawTensor, toFloat32 } from './dtypes.js';
import { FormatError, FormatErrorCode } from './errors.js';
import { type DecodedCheckpoint, FORMAT_NAME, FORMAT_VERSION, type Float32TensorLike, LIBRARY_VERSION } from './checkpoint-types.js';
import { parseMetadataJson, validateMetadataValue } from './metadata-json.js';
import { migrate } from './migrations.js';
import { OPTIMIZER_PREFIX, decodeOptimizerState, optimizerMetadataSchema } from './optimizer-codec.js';
import { decodeState } from './state-codec.js';
import { trainerStateSchema } from './trainer-state-schema.js';
import { expectedStateTensors, modelSpecSchema } from './model-spec-schema.js';
import { type ReadSafetensorsOptions, type SafetensorsFile, readSafetensors } from './safetensors-read.js';
import { sha256Hex } from './sha256.js';
import { checkHistoryRows, trainingRecordSchema } from './training-record.js';

export type DecodeCheckpointOptions = ReadSafetensorsOptions;

/**
 * Reads and fully validates a scratchnet checkpoint (any format version up to the current one,
 * migrated to the current one). Treats the bytes as untrusted: see `readSafetensors` for the
 * container checks; on top of them the format name and version, the SHA-256 of the tensor data,
 * every metadata field (no repeated keys, bounded nesting and histories, one class name per
 * model output) and the match between tensors and model spec are checked.
 *
 * @throws FormatError — never anything else for any input bytes.
 */
export function decodeCheckpoint(input: Uint8Array | ArrayBuffer, options: DecodeCheckpointOptions = {}): DecodedCheckpoint {
  return checkpointFromSafetensors(readSafetensors(input, options));
}

/**
 * {@link decodeCheckpoint} after the container was read (the file reader of "./node" reads it
 * piece by piece, and hashes with node:crypto, ~10× faster than the portable SHA-256).
 */
export function checkpointFromSafetensors(file: SafetensorsFile, hashHex: (data: Uint8Array) => string = sha256Hex): DecodedCheckpoint {
  const { metadata } = file;
  if (metadata.format !== FORMAT_NAME) {
    throw new FormatError(
      FormatErrorCode.BAD_MAGIC,
      metadata.format === undefined
        ? 'this safetensors file is not a scratchnet checkpoint (its __metadata__ has no "format" entry); read its tensors with readSafetensors instead'
        : `this safetensors file is a "${metadata.format}" file, not a scratchnet checkpoint; read its tensors with readSafetensors instead`,
    );
  }
  const formatVersion = parseVersion(metadata.format_version);
  verifyChecksum(metadata.tensor_sha256, file.data, hashHex);

  const stored = migrate({ metadata, tensors: file.tensors }, formatVersion, FORMAT_VERSION);
  const { spec, outputs } = checkSpec(parseMetadataJson(stored.metadata, 'model_spec', modelSpecSchema));
  const training =
    stored.training !== undefined
      ? validateMetadataValue('training', stored.training, trainingRecordSchema)
      : stored.metadata.training === undefined
        ? undefined
        : parseMetadataJson(stored.metadata, 'training', trainingRecordSchema, (value) =>
            checkHistoryRows('checkpoint metadata "training.history"', (value as { history?: unknown } | null)?.history),
          );
  const libraryVersion = stored.metadata.library_version ?? 'unknown';

  const tensors = decodeParameters(spec, stored.tensors);
  // Optimizer and trainer state fetch their tensors through `take`, which never hands out a model
  // parameter and hands out each tensor at most twice (an optimizer slot is shared with the
  // trainer state's optimizer), so a file cannot multiply its size by referencing one tensor
  // many times. Any tensor nobody fetched is unexplained and rejected.
  const fetched = new Map<string, number>([...tensors.keys()].map((name) => [name, 2]));
  const take = (name: string) => {
    const count = fetched.get(name) ?? 0;
    if (count >= 2) return undefined;
    fetched.set(name, count + 1);
    return stored.tensors.get(name);
  };
  const optimizer =
    stored.metadata.optimizer === undefined
      ? undefined
      : decodeOptimizerState(parseMetadataJson(stored.metadata, 'optimizer', optimizerMetadataSchema), take);
  const trainer =
    stored.metadata.trainer === undefined
      ? undefined
      : decodeTrainerState(
          parseMetadataJson(stored.metadata, 'trainer', z.json(), (value) =>
            checkHistoryRows('checkpoint metadata "trainer.history.epochs"', (value as { history?: { epochs?: unknown } } | null)?.history?.epochs),
          ),
          take,
        );
  const extra = [...stored.tensors.keys()].filter((name) => !fetched.has(name));
  if (extra.length > 0) {
    throw new FormatError(FormatErrorCode.TENSOR_MISMATCH, `tensors ${extra.slice(0, 5).map((n) => `"${n}"`).join(', ')} are neither parameters of the model spec nor optimizer/trainer state: the file is damaged`);
  }
  const classNames = parseMetadataJson(stored.metadata, 'class_names', z.array(z.string()), (value) => checkClassCount(value, outputs));
  const decoded: DecodedCheckpoint = { spec, tensors, classNames, formatVersion, libraryVersion };
  if (training) decoded.training = training;
  if (optimizer) decoded.optimizer = optimizer;
  if (trainer !== undefined) decoded.trainer = trainer;
  return decoded;
}

/** Every version so far hashes the whole data section; a version that changes this must branch here. */
function verifyChecksum(expectedHash: string | undefined, data: Uint8Array, hashHex: (data: Uint8Array) => string): void {
  if (expectedHash === undefined || !/^[0-9a-f]{64}$/.test(expectedHash)) {
    throw new FormatError(FormatErrorCode.BAD_METADATA, 'checkpoint metadata "tensor_sha256" is missing or not 64 hex digits: the file is damaged');
  }
  const actualHash = hashHex(data);
  if (actualHash !== expectedHash) {
    throw new FormatError(
      FormatErrorCode.CHECKSUM_MISMATCH,
      `tensor data SHA-256 is ${actualHash} but the header records ${expectedHash}: the weights were corrupted or edited; restore the file from a good copy`,
    );
  }
}

/**
 * The state_dict tensors the spec implies (parameters, and batch-norm buffers), which must all be
 * present with exactly the spec's shapes: F32, or I64 for `num_batches_tracked`.
 */
function decodeParameters(spec: ModelSpec, stored: ReadonlyMap<string, RawTensor>): Map<string, Float32TensorLike> {
  const tensors = new Map<string, Float32TensorLike>();
  for (const { name, shape, dtype } of expectedStateTensors(spec)) {
    const raw = stored.get(name);
    if (!raw) {
      throw new FormatError(FormatErrorCode.TENSOR_MISMATCH, `the model spec needs tensor "${name}" [${shape.join(', ')}] but the file has no such tensor: the file is damaged`);
    }
    const wanted = dtype === 'int64' ? 'I64' : 'F32';
    if (raw.dtype !== wanted || raw.shape.length !== shape.length || raw.shape.some((d, i) => d !== shape[i])) {
      throw new FormatError(
        FormatErrorCode.TENSOR_MISMATCH,
        `tensor "${name}" is ${raw.dtype} [${raw.shape.join(', ')}] but the model spec needs ${wanted} [${shape.join(', ')}]: the file is damaged`,
      );
    }
    tensors.set(name, { shape, data: toFloat32(raw) });
  }
  return tensors;
}

/** Core's own check (layer sizes chain, known initializers), reported as a file problem; also gives the model's output count. */
function checkSpec(spec: z.output<typeof modelSpecSchema>): { spec: ModelSpec; outputs: number } {
  try {
    return { spec: spec as ModelSpec, outputs: shapeSize(validateModelSpec(spec as ModelSpec)) };
  } catch (cause) {
    throw new FormatError(FormatErrorCode.BAD_METADATA, `checkpoint metadata "model_spec" is inconsistent: ${(cause as Error).message}`, { cause });
  }
}

/**
 * One class name per model output, index = class id: with fewer, outputs would be shown under the
 * wrong name (or none); with more, names would be shown for outputs that do not exist.
 */
function checkClassCount(value: unknown, outputs: number): void {
  if (Array.isArray(value) && value.length !== outputs) {
    throw new FormatError(
      FormatErrorCode.CLASS_COUNT_MISMATCH,
      `checkpoint metadata "class_names" has ${value.length} names but the model has ${outputs} outputs; each output needs exactly one name: ` +
        'the file is damaged or was edited; restore a good copy',
    );
  }
}

function decodeTrainerState(json: unknown, take: (name: string) => RawTensor | undefined): TrainerState {
  const value = decodeState(json, 'trainer', take, [OPTIMIZER_PREFIX]);
  const parsed = trainerStateSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FormatError(FormatErrorCode.BAD_METADATA, `checkpoint metadata "trainer" is malformed: ${issue.message} at ${issue.path.join('.') || '(root)'}`, {
      cause: parsed.error,
    });
  }
  return parsed.data as TrainerState;
}

function parseVersion(text: string | undefined): number {
  if (text === undefined || !/^[1-9][0-9]{0,8}$/.test(text)) {
    throw new FormatError(FormatErrorCode.BAD_METADATA, `checkpoint metadata "format_version" is ${text === undefined ? 'missing' : `"${text.slice(0, 20)}"`}; expected a positive integer: the file is damaged`);
  }
  const version = Number(text);
  if (version > FORMAT_VERSION) {
    throw new FormatError(
      FormatErrorCode.UNSUPPORTED_VERSION,
      `checkpoint is format version ${version}, but this @scratchnet/model-format (${LIBRARY_VERSION}) reads versions 1 to ${FORMAT_VERSION}: upgrade @scratchnet/model-format to load it`,
    );
  }
  return version;
}

import { type ModelSpec, shapeSize, validateModelSpec } from '@scratchnet/core';
import type { z } from 'zod';
import { float32Tensor, int64Tensor, type RawTensor } from './dtypes.js';
import { FormatError, FormatErrorCode } from './errors.js';
import { type CheckpointContents, type CheckpointInput, FORMAT_NAME, FORMAT_VERSION, LIBRARY_VERSION } from './checkpoint-types.js';
import { expectedStateTensors, modelSpecSchema } from './model-spec-schema.js';
import { encodeOptimizerState } from './optimizer-codec.js';
import { writeSafetensors } from './safetensors-write.js';
import { sha256Hex } from './sha256.js';
import { encodeState } from './state-codec.js';
import { historyRowsSize, historySizeProblem, trainingRecordSchema } from './training-record.js';

/**
 * Serialises a checkpoint to safetensors bytes. The model's state_dict is written first, in the
 * spec's PyTorch order (parameters as F32; batch-norm buffers as F32, `num_batches_tracked` as I64), then optimizer slots (`optimizer.<slot>.<parameter>`) and trainer
 * tensors (`trainer.*`). `__metadata__` holds the format name and version, the spec, class names,
 * training record, library version, optimizer/trainer JSON and the SHA-256 of the tensor data.
 *
 * @param input `{ model, classNames, … }` with a Sequential (or anything with `spec` and
 *   `stateDict()`), or `{ spec, tensors, classNames, … }` with raw parameters.
 * @throws FormatError INVALID_INPUT when the tensors do not match the spec or a record is malformed.
 */
export function encodeCheckpoint(input: CheckpointInput): Uint8Array {
  const contents: CheckpointContents = 'model' in input ? { ...input, spec: input.model.spec, tensors: input.model.stateDict() } : input;
  const spec = checkInput('spec', modelSpecSchema, contents.spec);
  const outputs = specOutputs(spec);
  // Through JSON first, as it will be stored: undefined fields vanish and a NaN/Infinity metric
  // (a diverged run) becomes null instead of failing validation.
  const training =
    contents.training === undefined ? undefined : checkInput('training', trainingRecordSchema, JSON.parse(JSON.stringify(contents.training)));
  if (!Array.isArray(contents.classNames) || contents.classNames.some((c) => typeof c !== 'string')) {
    throw new FormatError(FormatErrorCode.INVALID_INPUT, 'classNames must be an array of strings');
  }
  // What the reader would refuse is not written: one name per output, histories within the caps.
  if (contents.classNames.length !== outputs) {
    throw new FormatError(FormatErrorCode.INVALID_INPUT, `classNames has ${contents.classNames.length} names but the model has ${outputs} outputs: give one name per output`);
  }
  checkHistoryInput('training.history', training?.history);
  checkHistoryInput('trainer.history.epochs', (contents.trainer as { history?: { epochs?: unknown } } | undefined)?.history?.epochs);
  const expected = expectedStateTensors(spec);
  const tensors: Array<[string, RawTensor]> = [];
  for (const { name, shape, dtype } of expected) {
    const tensor = contents.tensors.get(name);
    if (!tensor) throw new FormatError(FormatErrorCode.INVALID_INPUT, `the spec needs parameter "${name}" [${shape.join(', ')}] but no tensor has that name`);
    if (tensor.shape.length !== shape.length || tensor.shape.some((d, i) => d !== shape[i]) || tensor.data.length !== shape.reduce((a, b) => a * b, 1)) {
      throw new FormatError(
        FormatErrorCode.INVALID_INPUT,
        `parameter "${name}" has shape [${tensor.shape.join(', ')}] but the spec needs [${shape.join(', ')}]`,
      );
    }
    tensors.push([name, dtype === 'int64' ? int64Tensor(shape, tensor.data) : float32Tensor(shape, tensor.data)]);
  }
  const extra = [...contents.tensors.keys()].filter((name) => !expected.some((t) => t.name === name));
  if (extra.length > 0) {
    throw new FormatError(FormatErrorCode.INVALID_INPUT, `tensors ${extra.map((n) => `"${n}"`).join(', ')} are not parameters of the spec`);
  }

  const metadata: Record<string, string> = {
    format: FORMAT_NAME,
    format_version: String(FORMAT_VERSION),
    library_version: LIBRARY_VERSION,
    model_spec: JSON.stringify(spec),
    class_names: JSON.stringify(contents.classNames),
  };
  if (training) metadata.training = JSON.stringify(training);
  // Arrays already stored (optimizer slots) are referenced by the trainer state, not stored twice.
  const stored = new Map<Float32Array, string>();
  if (contents.optimizer !== undefined) {
    const optimizer = encodeOptimizerState(contents.optimizer, new Map(expected.filter((t) => t.trainable).map((t) => [t.name, t.shape])));
    tensors.push(...optimizer.tensors);
    for (const [key, name] of Object.entries(optimizer.slotTensors)) stored.set(contents.optimizer.slots[key], name);
    metadata.optimizer = optimizer.json;
  }
  if (contents.trainer !== undefined) {
    const trainer = encodeState(contents.trainer, 'trainer', stored);
    tensors.push(...trainer.tensors);
    metadata.trainer = trainer.json;
  }
  metadata.tensor_sha256 = sha256Hex(concatBytes(tensors));
  return writeSafetensors(tensors, metadata);
}

/** The data buffer as the writer lays it out: the tensors' bytes in order. The checksum covers it. */
function concatBytes(tensors: Array<[string, RawTensor]>): Uint8Array {
  const data = new Uint8Array(tensors.reduce((n, [, t]) => n + t.bytes.length, 0));
  let offset = 0;
  for (const [, t] of tensors) {
    data.set(t.bytes, offset);
    offset += t.bytes.length;
  }
  return data;
}

/** Core's check of the spec (sizes chain, known initializers), which also gives the output count. */
function specOutputs(spec: z.output<typeof modelSpecSchema>): number {
  try {
    return shapeSize(validateModelSpec(spec as ModelSpec));
  } catch (cause) {
    throw new FormatError(FormatErrorCode.INVALID_INPUT, `spec is invalid: ${(cause as Error).message}`, { cause });
  }
}

function checkHistoryInput(what: string, rows: unknown): void {
  const { epochs, values } = historyRowsSize(rows);
  const problem = historySizeProblem(epochs, values);
  if (problem) throw new FormatError(FormatErrorCode.INVALID_INPUT, `${what} has ${problem}; keep fewer epochs of history`);
}

interface SafeParser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string; path: PropertyKey[] }> } };
}

function checkInput<T>(what: string, schema: SafeParser<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FormatError(FormatErrorCode.INVALID_INPUT, `${what} is invalid: ${issue.message} at ${issue.path.map(String).join('.') || '(root)'}`);
  }
  return parsed.data;
}

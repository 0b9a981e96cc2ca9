import type { OptimizerState } from '@scratchnet/core';
import { z } from 'zod';
import type { RawTensor } from './dtypes.js';
import { float32Tensor, toFloat32 } from './dtypes.js';
import { FormatError, FormatErrorCode } from './errors.js';

/** Prefix of optimizer slot tensors: slot 'm/0.weight' is stored as tensor 'optimizer.m.0.weight'. */
export const OPTIMIZER_PREFIX = 'optimizer.';

export const optimizerMetadataSchema = z.strictObject({
  type: z.enum(['sgd', 'momentum', 'rmsprop', 'adam', 'adamw']),
  step: z.number().int().nonnegative(),
  learningRate: z.number().nonnegative(),
  // Slot keys become tensor names, so they are bounded like any header string.
  /** Slot key → tensor name. */
  slots: z.record(z.string(), z.string().startsWith(OPTIMIZER_PREFIX)),
});

const SLOT_KEY = /^([A-Za-z0-9_]+)\/(.+)$/;

/**
 * Splits optimizer state into JSON metadata and one F32 tensor per slot. A slot for a parameter
 * takes that parameter's shape (so PyTorch users see `optimizer.m.0.weight` as [out, in]).
 */
export function encodeOptimizerState(
  state: OptimizerState,
  parameterShapes: ReadonlyMap<string, readonly number[]>,
): { json: string; tensors: Array<[string, RawTensor]>; slotTensors: Record<string, string> } {
  const tensors: Array<[string, RawTensor]> = [];
  const slots: Record<string, string> = {};
  for (const [key, values] of Object.entries(state.slots)) {
    const match = SLOT_KEY.exec(key);
    if (!match || !(values instanceof Float32Array)) {
      throw new FormatError(FormatErrorCode.INVALID_INPUT, `optimizer slot "${key}" must be keyed '<slot>/<parameter>' (slot of letters, digits, _) and hold a Float32Array`);
    }
    const shape = parameterShapes.get(match[2]);
    const fits = shape !== undefined && shape.reduce((a, b) => a * b, 1) === values.length;
    const name = `${OPTIMIZER_PREFIX}${match[1]}.${match[2]}`;
    tensors.push([name, float32Tensor(fits ? shape : [values.length], values)]);
    slots[key] = name;
  }
  const json = JSON.stringify({ type: state.type, step: state.step, learningRate: state.learningRate, slots });
  return { json, tensors, slotTensors: slots };
}

/** Rebuilds optimizer state from its metadata and slot tensors. */
export function decodeOptimizerState(
  meta: z.output<typeof optimizerMetadataSchema>,
  take: (name: string) => RawTensor | undefined,
): OptimizerState {
  const slots: Record<string, Float32Array> = {};
  for (const [key, name] of Object.entries(meta.slots)) {
    const raw = take(name);
    if (raw?.dtype !== 'F32') {
      throw new FormatError(FormatErrorCode.TENSOR_MISMATCH, `optimizer slot "${key}" refers to tensor "${name}", which the file lacks or stores as another dtype: the file is damaged`);
    }
    Object.defineProperty(slots, key, { value: toFloat32(raw), enumerable: true, writable: true, configurable: true });
  }
  return { type: meta.type, step: meta.step, learningRate: meta.learningRate, slots };
}

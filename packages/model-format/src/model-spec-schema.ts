import { type ModelSpec, stateDictShapes } from '@scratchnet/core';
import { z } from 'zod';
import { FormatError, FormatErrorCode } from './errors.js';

const size = z.number().int().positive().max(2 ** 31 - 1);
/** A window size given once or as [height, width]; bounded so no header can ask for absurd work. */
const size2d = z.union([z.number().int().min(0).max(65_536), z.tuple([z.number().int().min(0).max(65_536), z.number().int().min(0).max(65_536)])]);
const init = z.string().optional();

/**
 * Shape of core's `ModelSpec` as it appears in a file. This checks structure at the file boundary;
 * core's registry (`summarizeModel`) re-checks semantics — shapes chaining through every layer,
 * kernels that fit, known initializer names — before a model is built.
 */
export const layerSpecSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('dense'), inputSize: size, outputSize: size, init }),
  z.strictObject({
    type: z.literal('conv2d'),
    inChannels: size,
    outChannels: size,
    kernelSize: size2d,
    stride: size2d.optional(),
    padding: z.union([size2d, z.literal('same')]).optional(),
    bias: z.boolean().optional(),
    init,
  }),
  z.strictObject({ type: z.literal('max_pool2d'), kernelSize: size2d, stride: size2d.optional(), padding: size2d.optional() }),
  z.strictObject({ type: z.literal('avg_pool2d'), kernelSize: size2d, stride: size2d.optional(), padding: size2d.optional() }),
  z.strictObject({ type: z.literal('batch_norm1d'), numFeatures: size, eps: z.number().positive().optional(), momentum: z.number().min(0).max(1).optional() }),
  z.strictObject({ type: z.literal('batch_norm2d'), numFeatures: size, eps: z.number().positive().optional(), momentum: z.number().min(0).max(1).optional() }),
  z.strictObject({ type: z.literal('relu') }),
  z.strictObject({ type: z.literal('leaky_relu'), alpha: z.number() }),
  z.strictObject({ type: z.literal('sigmoid') }),
  z.strictObject({ type: z.literal('tanh') }),
  z.strictObject({ type: z.literal('selu') }),
  z.strictObject({ type: z.literal('softmax') }),
  z.strictObject({ type: z.literal('identity') }),
  z.strictObject({ type: z.literal('dropout'), rate: z.number().min(0).lt(1) }),
  z.strictObject({ type: z.literal('flatten') }),
]);

/** Structure of core's `ModelSpec` (stored as `model_spec`); unknown fields are rejected. */
export const modelSpecSchema = z.strictObject({
  inputSize: size,
  inputShape: z.array(size).min(1).max(4).optional(),
  layers: z.array(layerSpecSchema).max(10_000),
});

/** The model description a checkpoint carries (structurally core's `ModelSpec`). */
export type CheckpointModelSpec = z.infer<typeof modelSpecSchema>;

/** One state_dict tensor a spec implies. */
export interface ExpectedTensor {
  name: string;
  shape: number[];
  /** How the file stores it: F32, or I64 for PyTorch's `num_batches_tracked`. */
  dtype: 'float32' | 'int64';
  /** Parameters have optimizer state; batch-norm buffers do not. */
  trainable: boolean;
}

/**
 * Every state_dict tensor a spec implies, in PyTorch's order, from core's layer registry: e.g.
 * `0.weight` [out, in, kh, kw] and `0.bias` of a Conv2d, `1.running_mean` of a BatchNorm2d.
 *
 * @throws FormatError INVALID_INPUT when the spec is inconsistent (core's message says where).
 */
export function expectedStateTensors(spec: CheckpointModelSpec | ModelSpec): ExpectedTensor[] {
  try {
    return stateDictShapes(spec as ModelSpec).map((t) => ({ ...t, shape: [...t.shape] }));
  } catch (cause) {
    throw new FormatError(FormatErrorCode.INVALID_INPUT, `the model spec is inconsistent: ${(cause as Error).message}`, { cause });
  }
}

/** The trainable parameters a spec implies, in state_dict order, as [name, shape] pairs. */
export function expectedParameterShapes(spec: CheckpointModelSpec | ModelSpec): Array<[string, number[]]> {
  return expectedStateTensors(spec)
    .filter((t) => t.trainable)
    .map((t) => [t.name, t.shape]);
}

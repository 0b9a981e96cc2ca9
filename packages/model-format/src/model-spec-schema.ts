import { z } from 'zod';

const size = z.number().int().positive().max(2 ** 31 - 1);

/**
 * Shape of core's `ModelSpec` as it appears in a file. This checks structure at the file boundary;
 * `buildModel` re-checks semantics (layer sizes chain, known initializer names) when a model is built.
 */
export const layerSpecSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('dense'), inputSize: size, outputSize: size, init: z.string().optional() }),
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
  layers: z.array(layerSpecSchema).max(10_000),
});

/** The model description a checkpoint carries (structurally core's `ModelSpec`). */
export type CheckpointModelSpec = z.infer<typeof modelSpecSchema>;

/**
 * The parameter tensors a spec implies, in PyTorch state_dict order: `<i>.weight` [out, in] and
 * `<i>.bias` [out] for each dense layer at index i.
 */
export function expectedParameterShapes(spec: CheckpointModelSpec): Array<[string, number[]]> {
  const shapes: Array<[string, number[]]> = [];
  spec.layers.forEach((layer, i) => {
    if (layer.type === 'dense') {
      shapes.push([`${i}.weight`, [layer.outputSize, layer.inputSize]]);
      shapes.push([`${i}.bias`, [layer.outputSize]]);
    }
  });
  return shapes;
}

import { ConfigError, ErrorCode } from '../errors.js';
import type { BufferShape } from '../layers/layer-kind.js';
import { layerKind } from '../layers/registry.js';
import { type LayerSpec, type ModelSpec, modelInputShape, type Shape, shapeSize } from './spec.js';

/** One layer of a model as the registry describes it: what `info`, the checkpoint schema and the desktop's model view show. */
export interface LayerSummary {
  index: number;
  spec: LayerSpec;
  /** As PyTorch prints the module. */
  description: string;
  inputShape: Shape;
  outputShape: Shape;
  /** Trainable tensors by their state_dict names ('3.weight'), in order. */
  parameters: Array<{ name: string; shape: Shape }>;
  /** Non-trainable state_dict tensors (batch norm's running statistics). */
  buffers: Array<{ name: string } & BufferShape>;
  parameterCount: number;
}

function invalid(message: string): ConfigError {
  return new ConfigError(ErrorCode.INVALID_ARCHITECTURE, message);
}

function isShape(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.length <= 4 && value.every((d) => Number.isInteger(d) && d > 0);
}

/**
 * Checks a spec (e.g. one read from a checkpoint) layer by layer against the shapes flowing
 * through it and returns every layer's summary. Throws ConfigError naming the first bad layer.
 */
export function summarizeModel(spec: ModelSpec): LayerSummary[] {
  if (!spec || typeof spec !== 'object' || !Array.isArray(spec.layers)) {
    throw invalid('model spec must be an object { inputSize, inputShape?, layers: [...] }');
  }
  if (!(Number.isInteger(spec.inputSize) && spec.inputSize > 0)) throw invalid(`model spec inputSize must be a positive integer, got ${spec.inputSize}`);
  if (spec.inputShape !== undefined) {
    if (!isShape(spec.inputShape)) throw invalid(`model spec inputShape must be 1 to 4 positive integers, got ${JSON.stringify(spec.inputShape)}`);
    if (shapeSize(spec.inputShape) !== spec.inputSize) {
      throw invalid(`model spec inputShape ${JSON.stringify(spec.inputShape)} holds ${shapeSize(spec.inputShape)} values but inputSize is ${spec.inputSize}`);
    }
  }
  let shape = modelInputShape(spec);
  return spec.layers.map((layer, index) => {
    const where = `layer ${index} (${(layer as { type?: unknown })?.type})`;
    const kind = layerKind(layer, `layer ${index}`);
    kind.validate(layer, shape, where);
    const outputShape = kind.outputShape(layer, shape);
    const parameters = Object.entries(kind.parameters(layer, shape)).map(([name, s]) => ({ name: `${index}.${name}`, shape: s }));
    const buffers = Object.entries(kind.buffers?.(layer, shape) ?? {}).map(([name, b]) => ({ name: `${index}.${name}`, ...b }));
    const summary: LayerSummary = {
      index,
      spec: layer,
      description: kind.describe(layer, shape),
      inputShape: shape,
      outputShape,
      parameters,
      buffers,
      parameterCount: parameters.reduce((sum, p) => sum + shapeSize(p.shape), 0),
    };
    shape = outputShape;
    return summary;
  });
}

/** Checks a spec and returns the shape of one example it outputs. */
export function validateModelSpec(spec: ModelSpec): Shape {
  const layers = summarizeModel(spec);
  return layers.length ? layers[layers.length - 1].outputShape : modelInputShape(spec);
}

/** Every state_dict tensor of the model a spec builds (parameters and buffers), in PyTorch's order. */
export function stateDictShapes(spec: ModelSpec): Array<{ name: string; shape: Shape; dtype: 'float32' | 'int64'; trainable: boolean }> {
  return summarizeModel(spec).flatMap((layer) => [
    ...layer.parameters.map((p) => ({ ...p, dtype: 'float32' as const, trainable: true })),
    ...layer.buffers.map((b) => ({ name: b.name, shape: b.shape, dtype: b.dtype, trainable: false })),
  ]);
}

import { ConfigError, ErrorCode, formatShape, ShapeError } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import { layerKind } from '../layers/registry.js';
import type { InputSpec, LayerDraft } from './layer-factories.js';
import { type LayerSpec, type ModelSpec, type Shape, shapeSize } from './spec.js';

/** What `sequential(...)` and `new Sequential([...])` take: factory results, LayerSpecs, `input(...)` first, or built layers (`new Dense(4, 3)`). */
export type LayerInit = LayerDraft | InputSpec | Layer;

const isLayer = (item: unknown): item is Layer =>
  typeof item === 'object' && item !== null && typeof (item as Layer).forward === 'function' && typeof (item as Layer).spec === 'object';

const positive = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0;

/**
 * The ModelSpec a list of layers describes: the input shape from `input(...)` or the first layer,
 * every open size filled in from the shape before it (and every given one checked against it),
 * each layer validated by its registry entry. Also returns the built layers given, whose weights
 * the model keeps.
 *
 * @throws ShapeError naming the layer and both shapes when a size does not match the layer before;
 *   ConfigError for anything else (an unknown layer, no input shape, a bad field).
 */
export function specFromLayers(items: ReadonlyArray<LayerInit>, op = 'Sequential'): { spec: ModelSpec; built: Array<Layer | null> } {
  if (!Array.isArray(items)) throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `${op}: expected a list of layers such as [dense(784, 128), relu(), dense(128, 10)]`);
  let rest = [...items];
  let shape: Shape | undefined;
  const first = rest[0] as { type?: unknown; shape?: unknown } | undefined;
  if (first?.type === 'input') {
    const given = first.shape;
    if (!Array.isArray(given) || given.length === 0 || !given.every(positive)) {
      throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `${op}: input(...) takes the positive sizes of one example, e.g. input(784) or input(1, 28, 28); got ${JSON.stringify(given)}`);
    }
    shape = [...given];
    rest = rest.slice(1);
  }
  shape ??= inputShapeOf(rest[0], op);
  const inputShape = shape;
  const layers: LayerSpec[] = [];
  const built: Array<Layer | null> = [];
  rest.forEach((item, index) => {
    const where = `layer ${index}`;
    if (isLayer(item)) {
      const expected = item.inputShape;
      if (expected.length !== shape!.length || expected.some((d, i) => d !== shape![i])) {
        throw new ShapeError(op, `${where} (${item.spec.type}) was built for input ${formatShape(expected)} but the layer before gives ${formatShape(shape!)}`);
      }
    }
    if (typeof item !== 'object' || item === null || typeof (item as { type?: unknown }).type !== 'string' && !isLayer(item)) {
      throw new ConfigError(ErrorCode.INVALID_ARCHITECTURE, `${op}: ${where} is ${item === null ? 'null' : typeof item}, not a layer; use dense(…), relu(), conv2d(…) or a LayerSpec`);
    }
    if ((item as { type?: unknown }).type === 'input') throw new ConfigError(ErrorCode.INVALID_ARCHITECTURE, `${op}: input(...) may only come first`);
    const spec = completeSpec(isLayer(item) ? item.spec : (item as LayerDraft), shape!, `${where} (${isLayer(item) ? item.spec.type : (item as LayerDraft).type})`, op);
    const kind = layerKind(spec, where);
    kind.validate(spec as never, shape!, `${where} (${spec.type})`);
    shape = kind.outputShape(spec as never, shape!);
    layers.push(spec);
    built.push(isLayer(item) ? item : null);
  });
  const spec: ModelSpec = { inputSize: shapeSize(inputShape), ...(inputShape.length > 1 ? { inputShape: [...inputShape] } : {}), layers };
  return { spec, built };
}

/** The input shape the first layer implies, when there is no input(...). */
function inputShapeOf(first: LayerInit | undefined, op: string): Shape {
  if (isLayer(first)) return first.inputShape;
  const spec = first as { type?: string; inputSize?: unknown; numFeatures?: unknown } | undefined;
  if (spec?.type === 'dense' && positive(spec.inputSize)) return [spec.inputSize];
  if (spec?.type === 'batch_norm1d' && positive(spec.numFeatures)) return [spec.numFeatures];
  throw new ConfigError(
    ErrorCode.INVALID_ARCHITECTURE,
    `${op}: cannot tell the input shape from ${spec?.type === undefined ? 'an empty list' : `a first layer of type '${spec.type}'`}; start with input(1, 28, 28) (or input(784)), or with dense(inputSize, outputSize)`,
  );
}

/** A draft with its open input-side size filled in from `shape`, and a given one checked (ShapeError). */
function completeSpec(draft: LayerDraft, shape: Shape, where: string, op: string): LayerSpec {
  const mismatch = (what: string, given: number, actual: number, hint = '') =>
    new ShapeError(op, `${where} expects ${given} ${what} but the layer before gives ${formatShape(shape)} (${actual})${hint}`);
  switch (draft.type) {
    case 'dense': {
      if (shape.length !== 1) throw new ShapeError(op, `${where} needs a flat input but the layer before gives ${formatShape(shape)}; put flatten() before it`);
      if (draft.inputSize !== undefined && draft.inputSize !== shape[0]) throw mismatch('inputs', draft.inputSize, shape[0], `; write dense(${shape[0]}, ${draft.outputSize})`);
      return { ...draft, inputSize: shape[0] };
    }
    case 'conv2d': {
      if (shape.length !== 3) throw new ShapeError(op, `${where} needs an input [channels, height, width] but the layer before gives ${formatShape(shape)}; start with input(1, 28, 28)`);
      if (draft.inChannels !== undefined && draft.inChannels !== shape[0]) throw mismatch('input channels', draft.inChannels, shape[0]);
      return { ...draft, inChannels: shape[0] };
    }
    case 'batch_norm1d':
    case 'batch_norm2d': {
      const features = shape[0];
      if (draft.numFeatures !== undefined && draft.numFeatures !== features) throw mismatch('features', draft.numFeatures, features);
      return { ...draft, numFeatures: features };
    }
    default:
      return draft;
  }
}

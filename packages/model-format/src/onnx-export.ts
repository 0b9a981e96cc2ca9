import { type LayerSpec, type LayerSummary, summarizeModel } from '@scratchnet/core';
import { decodeCheckpoint } from './checkpoint-decode.js';
import { encodeCheckpoint } from './checkpoint-encode.js';
import { type CheckpointInput, type Float32TensorLike, LIBRARY_VERSION } from './checkpoint-types.js';
import { FormatError, FormatErrorCode } from './errors.js';
import {
  ATTRIBUTE,
  ATTRIBUTE_TYPE,
  DATA_TYPE,
  DIMENSION,
  GRAPH,
  MODEL,
  NODE,
  ONNX_IR_VERSION,
  ONNX_METADATA,
  ONNX_NAMES,
  ONNX_OPSET,
  OPSET_ID,
  SHAPE,
  STRING_ENTRY,
  TENSOR,
  TENSOR_TYPE,
  TYPE,
  VALUE_INFO,
} from './onnx-schema.js';
import { ProtoWriter } from './protobuf.js';

/** The name written as the model's producer. */
export const ONNX_PRODUCER_NAME = 'scratchnet';

type Attribute = { name: string } & ({ int: number } | { ints: number[] } | { float: number });
interface OnnxNode {
  name: string;
  op: string;
  inputs: string[];
  output: string;
  attributes: Attribute[];
}

/**
 * Serialises a model as an ONNX ModelProto (opset 13, IR version 7): bytes out, no Node imports.
 *
 * The graph takes `input` [batch, ...inputShape] (batch is dynamic) and gives two outputs:
 * `logits` [batch, classes] and `probabilities`, the softmax of the logits, or the model's own
 * final softmax or sigmoid, as core's `predict` computes them. Initializers keep the PyTorch
 * state_dict names ('0.weight'). Dropout and identity layers are left out (inference only).
 * `metadata_props` holds the class names, the training record and the scratchnet model spec as JSON.
 *
 * The input goes through the same checks as a checkpoint (`encodeCheckpoint`), so what cannot be
 * saved cannot be exported either.
 *
 * @throws FormatError INVALID_INPUT when the model and its tensors do not agree.
 */
export function exportOnnx(input: CheckpointInput): Uint8Array {
  const base = 'model' in input ? { model: input.model, classNames: input.classNames, training: input.training } : { spec: input.spec, tensors: input.tensors, classNames: input.classNames, training: input.training };
  const checked = decodeCheckpoint(encodeCheckpoint(base));
  const layers = summarizeModel(checked.spec);
  const { nodes, logits } = graphNodes(layers, checked.spec.inputShape ?? [checked.spec.inputSize]);
  const classes = layers.length ? layers[layers.length - 1].outputShape.reduce((a, b) => a * b, 1) : checked.spec.inputSize;
  const used = new Set(nodes.flatMap((n) => n.inputs));
  const initializers = [...checked.tensors].filter(([name]) => used.has(name));

  const metadata: Array<[string, string]> = [
    [ONNX_METADATA.classNames, JSON.stringify(checked.classNames)],
    [ONNX_METADATA.modelSpec, JSON.stringify(checked.spec)],
  ];
  if (checked.training) metadata.push([ONNX_METADATA.training, JSON.stringify(checked.training)]);

  const w = new ProtoWriter();
  w.int(MODEL.irVersion, ONNX_IR_VERSION);
  w.string(MODEL.producerName, ONNX_PRODUCER_NAME);
  w.string(MODEL.producerVersion, LIBRARY_VERSION);
  w.int(MODEL.modelVersion, 1);
  w.message(MODEL.graph, (g) => {
    for (const node of nodes) g.message(GRAPH.node, (n) => writeNode(n, node));
    g.string(GRAPH.name, 'scratchnet');
    for (const [name, tensor] of initializers) g.message(GRAPH.initializer, (t) => writeTensor(t, name, tensor));
    g.message(GRAPH.input, (v) => writeValueInfo(v, ONNX_NAMES.input, [ONNX_NAMES.batch, ...(checked.spec.inputShape ?? [checked.spec.inputSize])]));
    g.message(GRAPH.output, (v) => writeValueInfo(v, logits, [ONNX_NAMES.batch, classes]));
    g.message(GRAPH.output, (v) => writeValueInfo(v, ONNX_NAMES.probabilities, [ONNX_NAMES.batch, classes]));
  });
  w.message(MODEL.opsetImport, (o) => o.string(OPSET_ID.domain, '').int(OPSET_ID.version, ONNX_OPSET));
  for (const [key, value] of metadata) w.message(MODEL.metadataProps, (e) => e.string(STRING_ENTRY.key, key).string(STRING_ENTRY.value, value));
  return w.finish();
}

/** The chain of nodes for the layers, ending in `logits` and `probabilities`. */
function graphNodes(layers: LayerSummary[], inputShape: readonly number[]): { nodes: OnnxNode[]; logits: string } {
  const nodes: OnnxNode[] = [];
  let value: string = ONNX_NAMES.input;
  let rank = inputShape.length;
  const add = (index: number | string, op: string, inputs: string[], attributes: Attribute[] = []) => {
    const output = `/${index}/${op}_output_0`;
    nodes.push({ name: `/${index}/${op}`, op, inputs: [value, ...inputs], output, attributes });
    value = output;
  };
  // A final softmax or sigmoid gives the probabilities; the logits are what it reads.
  const last = layers.at(-1)?.spec.type;
  const head = last === 'softmax' || last === 'sigmoid' ? layers.length - 1 : layers.length;
  for (const layer of layers.slice(0, head)) {
    const { index, spec } = layer;
    if (spec.type === 'dense' && rank > 1) add(`${index}/pre`, 'Flatten', [], [{ name: 'axis', int: 1 }]);
    const op = layerOp(spec);
    if (op) {
      const params = [...layer.parameters.map((p) => p.name), ...layer.buffers.filter((b) => b.dtype === 'float32').map((b) => b.name)];
      add(index, op.op, params, op.attributes);
    }
    rank = layer.outputShape.length;
  }
  if (rank > 1) add('output', 'Flatten', [], [{ name: 'axis', int: 1 }]);
  if (value === ONNX_NAMES.input) {
    throw new FormatError(FormatErrorCode.INVALID_INPUT, 'the model has no layer that computes anything (only dropout or identity): there is nothing to export');
  }
  nodes[nodes.length - 1].output = ONNX_NAMES.logits;
  const probabilities: OnnxNode =
    last === 'sigmoid'
      ? { name: `/${head}/Sigmoid`, op: 'Sigmoid', inputs: [ONNX_NAMES.logits], output: ONNX_NAMES.probabilities, attributes: [] }
      : { name: last === 'softmax' ? `/${head}/Softmax` : '/probabilities/Softmax', op: 'Softmax', inputs: [ONNX_NAMES.logits], output: ONNX_NAMES.probabilities, attributes: [{ name: 'axis', int: 1 }] };
  nodes.push(probabilities);
  return { nodes, logits: ONNX_NAMES.logits };
}

/** The ONNX op of one layer, or undefined for layers inference skips. */
function layerOp(spec: LayerSpec): { op: string; attributes: Attribute[] } | undefined {
  const pair = (v: number | readonly [number, number] | undefined, fallback: number): number[] => (v === undefined ? [fallback, fallback] : typeof v === 'number' ? [v, v] : [v[0], v[1]]);
  const windowAttributes = (kernel: number[], stride: number[], padding: number[]): Attribute[] => [
    { name: 'kernel_shape', ints: kernel },
    { name: 'strides', ints: stride },
    { name: 'pads', ints: [padding[0], padding[1], padding[0], padding[1]] },
  ];
  switch (spec.type) {
    case 'dense':
      return { op: 'Gemm', attributes: [{ name: 'transB', int: 1 }] };
    case 'conv2d': {
      const kernel = pair(spec.kernelSize, 1);
      const stride = pair(spec.stride, 1);
      const padding = spec.padding === 'same' ? [(kernel[0] - 1) / 2, (kernel[1] - 1) / 2] : pair(spec.padding, 0);
      return { op: 'Conv', attributes: [...windowAttributes(kernel, stride, padding), { name: 'dilations', ints: [1, 1] }, { name: 'group', int: 1 }] };
    }
    case 'max_pool2d':
    case 'avg_pool2d': {
      const kernel = pair(spec.kernelSize, 1);
      const attributes = windowAttributes(kernel, pair(spec.stride ?? spec.kernelSize, 1), pair(spec.padding, 0));
      if (spec.type === 'max_pool2d') return { op: 'MaxPool', attributes };
      // scratchnet, like PyTorch by default, divides by the whole window, padding included.
      return { op: 'AveragePool', attributes: [...attributes, { name: 'count_include_pad', int: 1 }] };
    }
    case 'batch_norm1d':
    case 'batch_norm2d':
      return { op: 'BatchNormalization', attributes: [{ name: 'epsilon', float: spec.eps ?? 1e-5 }] };
    case 'flatten':
      return { op: 'Flatten', attributes: [{ name: 'axis', int: 1 }] };
    case 'relu':
      return { op: 'Relu', attributes: [] };
    case 'leaky_relu':
      return { op: 'LeakyRelu', attributes: [{ name: 'alpha', float: spec.alpha }] };
    case 'sigmoid':
      return { op: 'Sigmoid', attributes: [] };
    case 'tanh':
      return { op: 'Tanh', attributes: [] };
    case 'selu':
      return { op: 'Selu', attributes: [] };
    case 'softmax':
      return { op: 'Softmax', attributes: [{ name: 'axis', int: 1 }] };
    case 'dropout':
    case 'identity':
      return undefined;
  }
}

function writeNode(w: ProtoWriter, node: OnnxNode): void {
  for (const input of node.inputs) w.string(NODE.input, input);
  w.string(NODE.output, node.output);
  w.string(NODE.name, node.name);
  w.string(NODE.opType, node.op);
  for (const a of node.attributes) {
    w.message(NODE.attribute, (m) => {
      m.string(ATTRIBUTE.name, a.name);
      if ('int' in a) m.int(ATTRIBUTE.i, a.int).int(ATTRIBUTE.type, ATTRIBUTE_TYPE.INT);
      else if ('float' in a) m.float(ATTRIBUTE.f, a.float).int(ATTRIBUTE.type, ATTRIBUTE_TYPE.FLOAT);
      else m.packedInts(ATTRIBUTE.ints, a.ints).int(ATTRIBUTE.type, ATTRIBUTE_TYPE.INTS);
    });
  }
}

function writeTensor(w: ProtoWriter, name: string, tensor: Float32TensorLike): void {
  w.packedInts(TENSOR.dims, [...tensor.shape]);
  w.int(TENSOR.dataType, DATA_TYPE.FLOAT);
  w.string(TENSOR.name, name);
  // raw_data is little-endian float32, the layout of a Float32Array on every platform we run on.
  const data = Float32Array.from(tensor.data);
  w.bytes(TENSOR.rawData, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

function writeValueInfo(w: ProtoWriter, name: string, dims: Array<number | string>): void {
  w.string(VALUE_INFO.name, name);
  w.message(VALUE_INFO.type, (t) =>
    t.message(TYPE.tensorType, (tt) => {
      tt.int(TENSOR_TYPE.elemType, DATA_TYPE.FLOAT);
      tt.message(TENSOR_TYPE.shape, (s) => {
        for (const d of dims) s.message(SHAPE.dim, (dim) => (typeof d === 'number' ? dim.int(DIMENSION.dimValue, d) : dim.string(DIMENSION.dimParam, d)));
      });
    }),
  );
}

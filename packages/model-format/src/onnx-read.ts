import { FormatError, FormatErrorCode } from './errors.js';
import { ATTRIBUTE, DATA_TYPE, DIMENSION, GRAPH, MODEL, NODE, OPSET_ID, SHAPE, STRING_ENTRY, TENSOR, TENSOR_TYPE, TYPE, VALUE_INFO } from './onnx-schema.js';
import { type ProtoField, protobufError, readFields, readFloat, readInt, readInts, readMessage, readString } from './protobuf.js';
import { DEFAULT_MAX_HEADER_BYTES } from './safetensors-read.js';

/**
 * Caps on what an .onnx file may declare. Far beyond any model scratchnet can represent; they bound
 * what a small hostile file can make the reader build.
 */
export const ONNX_LIMITS = {
  /** Nodes in the graph (a spec holds at most 10,000 layers). */
  nodes: 20_000,
  /** Initializers, graph inputs, outputs and value_info entries, each. */
  values: 20_000,
  /** Attributes per node. */
  attributes: 64,
  /** Integers in one attribute, dimensions of one tensor or one value's shape (safetensors allows 64). */
  ints: 64,
  /** Inputs or outputs of one node. */
  nodeIo: 64,
  /** Elements of an int64 tensor (only shape constants are read as integers). */
  int64Elements: 1024,
  /** metadata_props entries. */
  metadataEntries: 1024,
  /** Bytes of one metadata value (the training record); the safetensors header cap. */
  metadataBytes: DEFAULT_MAX_HEADER_BYTES,
  /** Bytes of one name. */
  nameBytes: 4096,
} as const;

/** A tensor from the file, its values already checked against its declared dims. */
export interface OnnxTensor {
  name: string;
  dims: number[];
  /** FLOAT tensors as float32; INT64/INT32 tensors as integers; other types are left unread (undefined). */
  floats?: Float32Array;
  ints?: number[];
  dataType: number;
}

export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: string;
  ints?: number[];
  floats?: number[];
  t?: OnnxTensor;
}

export interface OnnxNode {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Map<string, OnnxAttribute>;
}

export interface OnnxValueInfo {
  name: string;
  /** TensorProto data type of the elements (0 when not a tensor or not given). */
  elemType: number;
  /** Per dimension: a fixed size, a symbolic name, or undefined when unknown; undefined when the rank is unknown. */
  dims?: Array<number | string | undefined>;
}

/** An ONNX ModelProto as far as scratchnet reads it. */
export interface OnnxModel {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  opsets: Array<{ domain: string; version: number }>;
  metadata: Record<string, string>;
  graph: {
    name: string;
    nodes: OnnxNode[];
    initializers: Map<string, OnnxTensor>;
    inputs: OnnxValueInfo[];
    outputs: OnnxValueInfo[];
  };
}

function limit(where: string, what: string, max: number): FormatError {
  return new FormatError(FormatErrorCode.LIMIT_EXCEEDED, `${where} holds more than ${max} ${what}: far beyond any model scratchnet can import; the file is damaged or hostile`);
}

/**
 * Decodes an ONNX ModelProto. Views into `bytes` are used wherever possible; the only copies are
 * float tensors (whose length is checked against their declared dims first) and strings, each
 * capped. Nested graphs (If, Loop…) and training info are skipped, never decoded, so nesting
 * depth is fixed. Nothing is executed.
 *
 * @throws FormatError BAD_ONNX, TRUNCATED, LIMIT_EXCEEDED, UNSUPPORTED_DTYPE.
 */
export function readOnnx(input: Uint8Array | ArrayBuffer): OnnxModel {
  const bytes = input instanceof Uint8Array ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : new Uint8Array(input);
  const where = 'ONNX model';
  if (bytes.length === 0) throw new FormatError(FormatErrorCode.TRUNCATED, 'the ONNX file is empty: copy it again');
  const model: OnnxModel = { irVersion: 0, producerName: '', producerVersion: '', opsets: [], metadata: {}, graph: { name: '', nodes: [], initializers: new Map(), inputs: [], outputs: [] } };
  let graph: Uint8Array | undefined;
  for (const f of readFields(bytes, where)) {
    if (f.field === MODEL.irVersion) model.irVersion = readInt(f, where);
    else if (f.field === MODEL.producerName) model.producerName = readString(f, where, ONNX_LIMITS.nameBytes);
    else if (f.field === MODEL.producerVersion) model.producerVersion = readString(f, where, ONNX_LIMITS.nameBytes);
    else if (f.field === MODEL.graph) graph = readMessage(f, where);
    else if (f.field === MODEL.opsetImport) {
      if (model.opsets.length >= ONNX_LIMITS.metadataEntries) throw limit(where, 'opset imports', ONNX_LIMITS.metadataEntries);
      model.opsets.push(readOpset(readMessage(f, where)));
    } else if (f.field === MODEL.metadataProps) {
      if (Object.keys(model.metadata).length >= ONNX_LIMITS.metadataEntries) throw limit(where, 'metadata entries', ONNX_LIMITS.metadataEntries);
      const [key, value] = readEntry(readMessage(f, where));
      if (Object.hasOwn(model.metadata, key)) throw new FormatError(FormatErrorCode.DUPLICATE_KEY, `ONNX metadata_props has the key "${key}" twice, so readers could disagree on its value: the file was edited or crafted`);
      model.metadata[key] = value;
    }
    // Anything else (doc strings, functions, training info) is skipped without decoding.
  }
  if (model.irVersion < 3) throw new FormatError(FormatErrorCode.BAD_ONNX, `ONNX ir_version ${model.irVersion} is not one scratchnet reads (3 or newer): this is probably not an ONNX model`);
  if (!graph) throw new FormatError(FormatErrorCode.BAD_ONNX, 'the ONNX model has no graph: this is probably not an ONNX model');
  model.graph = readGraph(graph);
  return model;
}

function readOpset(bytes: Uint8Array): { domain: string; version: number } {
  const where = 'ONNX opset_import';
  const opset = { domain: '', version: 0 };
  for (const f of readFields(bytes, where)) {
    if (f.field === OPSET_ID.domain) opset.domain = readString(f, where, ONNX_LIMITS.nameBytes);
    else if (f.field === OPSET_ID.version) opset.version = readInt(f, where);
  }
  return opset;
}

function readEntry(bytes: Uint8Array): [string, string] {
  const where = 'ONNX metadata_props';
  let key = '';
  let value = '';
  for (const f of readFields(bytes, where)) {
    if (f.field === STRING_ENTRY.key) key = readString(f, where, ONNX_LIMITS.nameBytes);
    else if (f.field === STRING_ENTRY.value) value = readString(f, `${where} "${key}"`, ONNX_LIMITS.metadataBytes);
  }
  return [key, value];
}

function readGraph(bytes: Uint8Array): OnnxModel['graph'] {
  const where = 'ONNX graph';
  const graph: OnnxModel['graph'] = { name: '', nodes: [], initializers: new Map(), inputs: [], outputs: [] };
  for (const f of readFields(bytes, where)) {
    if (f.field === GRAPH.node) {
      if (graph.nodes.length >= ONNX_LIMITS.nodes) throw limit(where, 'nodes', ONNX_LIMITS.nodes);
      graph.nodes.push(readNode(readMessage(f, where), graph.nodes.length));
    } else if (f.field === GRAPH.name) graph.name = readString(f, where, ONNX_LIMITS.nameBytes);
    else if (f.field === GRAPH.initializer) {
      if (graph.initializers.size >= ONNX_LIMITS.values) throw limit(where, 'initializers', ONNX_LIMITS.values);
      const tensor = readTensor(readMessage(f, where), 'initializer');
      if (graph.initializers.has(tensor.name)) throw new FormatError(FormatErrorCode.BAD_ONNX, `ONNX graph has two initializers named "${tensor.name}"`);
      graph.initializers.set(tensor.name, tensor);
    } else if (f.field === GRAPH.input || f.field === GRAPH.output) {
      const list = f.field === GRAPH.input ? graph.inputs : graph.outputs;
      if (list.length >= ONNX_LIMITS.values) throw limit(where, 'inputs or outputs', ONNX_LIMITS.values);
      list.push(readValueInfo(readMessage(f, where)));
    } else if (f.field === GRAPH.sparseInitializer) {
      throw new FormatError(FormatErrorCode.UNSUPPORTED_OP, 'the ONNX graph has a sparse initializer, which scratchnet does not import; export the model with dense weights');
    }
  }
  return graph;
}

function readNode(bytes: Uint8Array, index: number): OnnxNode {
  const node: OnnxNode = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: new Map() };
  let where = `ONNX node #${index}`;
  for (const f of readFields(bytes, where)) {
    if (f.field === NODE.input || f.field === NODE.output) {
      const list = f.field === NODE.input ? node.inputs : node.outputs;
      if (list.length >= ONNX_LIMITS.nodeIo) throw limit(where, 'inputs or outputs', ONNX_LIMITS.nodeIo);
      list.push(readString(f, where, ONNX_LIMITS.nameBytes));
    } else if (f.field === NODE.name) {
      node.name = readString(f, where, ONNX_LIMITS.nameBytes);
      where = `ONNX node "${node.name}"`;
    } else if (f.field === NODE.opType) node.opType = readString(f, where, ONNX_LIMITS.nameBytes);
    else if (f.field === NODE.domain) node.domain = readString(f, where, ONNX_LIMITS.nameBytes);
    else if (f.field === NODE.attribute) {
      if (node.attributes.size >= ONNX_LIMITS.attributes) throw limit(where, 'attributes', ONNX_LIMITS.attributes);
      const attribute = readAttribute(readMessage(f, where), where);
      if (node.attributes.has(attribute.name)) throw new FormatError(FormatErrorCode.BAD_ONNX, `${where} has the attribute "${attribute.name}" twice`);
      node.attributes.set(attribute.name, attribute);
    }
  }
  if (!node.name) node.name = `#${index}`;
  return node;
}

function readAttribute(bytes: Uint8Array, nodeWhere: string): OnnxAttribute {
  const where = `${nodeWhere} attribute`;
  const attribute: OnnxAttribute = { name: '', type: 0 };
  for (const f of readFields(bytes, where)) {
    if (f.field === ATTRIBUTE.name) attribute.name = readString(f, where, ONNX_LIMITS.nameBytes);
    else if (f.field === ATTRIBUTE.type) attribute.type = readInt(f, where);
    else if (f.field === ATTRIBUTE.f) attribute.f = readFloat(f, where);
    else if (f.field === ATTRIBUTE.i) attribute.i = readInt(f, where);
    else if (f.field === ATTRIBUTE.s) attribute.s = readString(f, where, ONNX_LIMITS.nameBytes);
    else if (f.field === ATTRIBUTE.t) attribute.t = readTensor(readMessage(f, where), `${nodeWhere}'s tensor`);
    else if (f.field === ATTRIBUTE.ints) {
      attribute.ints ??= [];
      readInts(f, attribute.ints, ONNX_LIMITS.ints, where);
    } else if (f.field === ATTRIBUTE.floats) {
      attribute.floats ??= [];
      readFloats(f, attribute.floats, where);
    }
    // Graphs (g), sparse tensors and the rest are never decoded; the importer refuses their nodes by op.
  }
  return attribute;
}

function readFloats(f: ProtoField, out: number[], where: string): void {
  if (f.wire === 5) out.push(readFloat(f, where));
  else if (f.wire === 2) {
    if (f.bytes.length % 4 !== 0) throw protobufError(where, 'packed floats are not a multiple of 4 bytes');
    const view = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.length);
    for (let i = 0; i < f.bytes.length; i += 4) {
      if (out.length >= ONNX_LIMITS.ints) throw limit(where, 'floats', ONNX_LIMITS.ints);
      out.push(view.getFloat32(i, true));
    }
  } else throw protobufError(where, `field ${f.field} should hold floats`);
  if (out.length > ONNX_LIMITS.ints) throw limit(where, 'floats', ONNX_LIMITS.ints);
}

function readValueInfo(bytes: Uint8Array): OnnxValueInfo {
  let where = 'ONNX graph input/output';
  const info: OnnxValueInfo = { name: '', elemType: 0 };
  for (const f of readFields(bytes, where)) {
    if (f.field === VALUE_INFO.name) {
      info.name = readString(f, where, ONNX_LIMITS.nameBytes);
      where = `ONNX value "${info.name}"`;
    } else if (f.field === VALUE_INFO.type) {
      for (const t of readFields(readMessage(f, where), where)) {
        if (t.field !== TYPE.tensorType) continue;
        for (const tt of readFields(readMessage(t, where), where)) {
          if (tt.field === TENSOR_TYPE.elemType) info.elemType = readInt(tt, where);
          else if (tt.field === TENSOR_TYPE.shape) {
            info.dims = [];
            for (const s of readFields(readMessage(tt, where), where)) {
              if (s.field !== SHAPE.dim) continue;
              if (info.dims.length >= ONNX_LIMITS.ints) throw limit(where, 'dimensions', ONNX_LIMITS.ints);
              let dim: number | string | undefined;
              for (const d of readFields(readMessage(s, where), where)) {
                if (d.field === DIMENSION.dimValue) dim = readInt(d, where);
                else if (d.field === DIMENSION.dimParam) dim = readString(d, where, ONNX_LIMITS.nameBytes);
              }
              info.dims.push(dim);
            }
          }
        }
      }
    }
  }
  return info;
}

function readTensor(bytes: Uint8Array, what: string): OnnxTensor {
  let where = `ONNX ${what}`;
  const tensor: OnnxTensor = { name: '', dims: [], dataType: 0 };
  let raw: Uint8Array | undefined;
  const floatData: Uint8Array[] = [];
  const intData: number[] = [];
  for (const f of readFields(bytes, where)) {
    if (f.field === TENSOR.dims) readInts(f, tensor.dims, ONNX_LIMITS.ints, where);
    else if (f.field === TENSOR.dataType) tensor.dataType = readInt(f, where);
    else if (f.field === TENSOR.name) {
      tensor.name = readString(f, where, ONNX_LIMITS.nameBytes);
      where = `ONNX ${what} "${tensor.name}"`;
    } else if (f.field === TENSOR.rawData) raw = readMessage(f, where);
    else if (f.field === TENSOR.floatData) {
      if (f.wire === 2) floatData.push(f.bytes);
      else if (f.wire === 5) floatData.push(f.bytes);
      else throw protobufError(where, 'float_data should hold floats');
    } else if (f.field === TENSOR.int64Data || f.field === TENSOR.int32Data) readInts(f, intData, ONNX_LIMITS.int64Elements, where);
    else if (f.field === TENSOR.dataLocation && readInt(f, where) !== 0) {
      throw new FormatError(FormatErrorCode.UNSUPPORTED_OP, `${where} keeps its data in an external file, which scratchnet does not read; save the model as one file`);
    } else if (f.field === TENSOR.externalData) {
      throw new FormatError(FormatErrorCode.UNSUPPORTED_OP, `${where} keeps its data in an external file, which scratchnet does not read; save the model as one file`);
    }
  }
  // The element count, from dims that were never trusted: each dim is checked against what the
  // data holds before the next multiplies in, so no product can overflow or reach an allocation.
  const bytesPer = tensor.dataType === DATA_TYPE.FLOAT || tensor.dataType === DATA_TYPE.INT32 ? 4 : tensor.dataType === DATA_TYPE.INT64 ? 8 : 0;
  if (bytesPer === 0) return tensor; // Read only if an importer needs it, and it never needs other types.
  const available = raw ? raw.length / bytesPer : tensor.dataType === DATA_TYPE.FLOAT ? floatData.reduce((n, b) => n + b.length, 0) / 4 : intData.length;
  const badDims = () => new FormatError(FormatErrorCode.BAD_OFFSETS, `${where} declares dims [${tensor.dims.join(', ')}] but holds ${Math.floor(available)} values`);
  if (tensor.dims.some((d) => !Number.isSafeInteger(d) || d < 0)) throw badDims();
  let count = tensor.dims.includes(0) ? 0 : 1;
  for (const d of tensor.dims) {
    if (count > 0 && count > available / d) throw badDims();
    count *= d;
  }
  if (count !== available) throw new FormatError(FormatErrorCode.BAD_OFFSETS, `${where} declares dims [${tensor.dims.join(', ')}] (${count} values) but holds ${available} values`);
  if (tensor.dataType === DATA_TYPE.FLOAT) {
    const floats = new Float32Array(count);
    const sources = raw ? [raw] : floatData;
    let at = 0;
    for (const src of sources) {
      const view = new DataView(src.buffer, src.byteOffset, src.length);
      for (let i = 0; i + 4 <= src.length; i += 4) floats[at++] = view.getFloat32(i, true);
    }
    tensor.floats = floats;
  } else {
    if (count > ONNX_LIMITS.int64Elements) throw limit(where, 'integers', ONNX_LIMITS.int64Elements);
    if (raw) {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
      tensor.ints = Array.from({ length: count }, (_, i) => (bytesPer === 8 ? Number(view.getBigInt64(i * 8, true)) : view.getInt32(i * 4, true)));
    } else tensor.ints = intData;
  }
  return tensor;
}

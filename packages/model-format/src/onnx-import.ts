import { type LayerSpec, type ModelSpec, validateModelSpec } from '@scratchnet/core';
import { z } from 'zod';
import type { CheckpointContents, Float32TensorLike } from './checkpoint-types.js';
import { FormatError, FormatErrorCode } from './errors.js';
import { parseMetadataJson } from './metadata-json.js';
import { ONNX_MAX_OPSET, ONNX_METADATA, ONNX_MIN_OPSET } from './onnx-schema.js';
import { type OnnxModel, type OnnxNode, type OnnxTensor, readOnnx } from './onnx-read.js';
import { checkHistoryRows, trainingRecordSchema } from './training-record.js';

/** The ops the importer maps onto scratchnet layers (Constant only as a parameter of another node). */
export const ONNX_IMPORT_OPS = [
  'Gemm', 'MatMul', 'Add', 'Conv', 'MaxPool', 'AveragePool', 'Pad', 'BatchNormalization', 'Flatten', 'Reshape',
  'Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Selu', 'Softmax', 'Identity', 'Dropout', 'Constant',
  // Only as torch's x.view(x.size(0), -1): Shape → Gather → Unsqueeze → Concat feeding a Reshape.
  'Shape', 'Gather', 'Unsqueeze', 'Concat',
] as const;

/** Ops that only ever compute a constant or a shape beside the chain, never a layer. */
const HELPER_OPS = ['Constant', 'Shape', 'Gather', 'Unsqueeze', 'Concat'];

/** ONNX's Selu defaults (PyTorch's constants as float32). */
const SELU_ALPHA = Math.fround(1.6732632423543772);
const SELU_GAMMA = Math.fround(1.0507009873554805);

function unsupported(node: OnnxNode, problem: string): FormatError {
  return new FormatError(FormatErrorCode.UNSUPPORTED_OP, `ONNX node "${node.name}" (${node.opType}): ${problem}`);
}

function unsupportedGraph(problem: string): FormatError {
  return new FormatError(FormatErrorCode.UNSUPPORTED_OP, `ONNX graph: ${problem}`);
}

function bad(problem: string): FormatError {
  return new FormatError(FormatErrorCode.BAD_ONNX, `ONNX graph: ${problem}`);
}

/**
 * Turns an .onnx file into checkpoint contents (spec, state_dict tensors, class names, training
 * record), ready for `encodeCheckpoint`. Accepts exactly the graphs scratchnet can represent: one
 * float input [batch, ...shape], a chain of the ops in {@link ONNX_IMPORT_OPS} as
 * `torch.onnx.export` writes them for an nn.Sequential (Gemm or MatMul+Add, Conv with a fused
 * batch norm, Constant+Pad before AveragePool, Flatten or a constant Reshape to [batch, -1]), and
 * scratchnet's own exports (their `probabilities` head is dropped: `predict` computes it).
 *
 * @throws FormatError UNSUPPORTED_OP naming the op and node of anything else; BAD_ONNX,
 *   TRUNCATED, LIMIT_EXCEEDED, BAD_OFFSETS… for a malformed file; BAD_METADATA for a bad class list or record.
 */
export function importOnnx(input: Uint8Array | ArrayBuffer | OnnxModel): CheckpointContents {
  const model = input instanceof Uint8Array || input instanceof ArrayBuffer ? readOnnx(input) : input;
  checkOpset(model);
  const graph = graphChain(model);
  const { spec, tensors } = layersOf(graph.chain, graph.inputShape, graph.values, model);
  checkSequential(model, graph);
  let outputs: number;
  try {
    outputs = validateModelSpec(spec).reduce((a, b) => a * b, 1);
  } catch (cause) {
    throw new FormatError(FormatErrorCode.UNSUPPORTED_OP, `the ONNX graph maps to a model scratchnet cannot build: ${(cause as Error).message}`, { cause });
  }
  const classNames = Object.hasOwn(model.metadata, ONNX_METADATA.classNames)
    ? parseMetadataJson(model.metadata, ONNX_METADATA.classNames, z.array(z.string()), (value) => {
        if (Array.isArray(value) && value.length !== outputs) {
          throw new FormatError(FormatErrorCode.CLASS_COUNT_MISMATCH, `ONNX metadata "class_names" has ${value.length} names but the model has ${outputs} outputs`);
        }
      })
    : Array.from({ length: outputs }, (_, i) => String(i));
  const training = Object.hasOwn(model.metadata, ONNX_METADATA.training)
    ? parseMetadataJson(model.metadata, ONNX_METADATA.training, trainingRecordSchema, (value) => checkHistoryRows('ONNX metadata "training"', (value as { history?: unknown } | null)?.history))
    : undefined;
  return { spec, tensors, classNames, ...(training ? { training } : {}) };
}

function checkOpset(model: OnnxModel): void {
  const opset = model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (!opset) throw bad('no opset_import for the default ONNX domain');
  if (opset.version < ONNX_MIN_OPSET || opset.version > ONNX_MAX_OPSET) {
    throw new FormatError(FormatErrorCode.UNSUPPORTED_VERSION, `the ONNX model uses opset ${opset.version}; scratchnet imports opsets ${ONNX_MIN_OPSET} to ${ONNX_MAX_OPSET}: re-export it with opset_version=13`);
  }
}

/** The value a chain node computes on: its first input, or for Add (a MatMul's bias, either side) the one that is not a constant. */
function dataInput(node: OnnxNode, isConstant: (name: string) => boolean): string {
  if (node.opType === 'Constant') return '';
  if (node.opType === 'Add' && node.inputs.length === 2 && isConstant(node.inputs[0])) return node.inputs[1];
  return node.inputs[0] ?? '';
}

/** Where a value comes from: a node's output, an initializer, or a Constant node. */
interface Values {
  producer: Map<string, OnnxNode>;
  /** The constant tensor `name` (an initializer, a Constant, or an Identity of one), or undefined for ''; refuses anything else. */
  constant(node: OnnxNode, name: string | undefined): OnnxTensor | undefined;
  isConstant(name: string): boolean;
  /** Nodes off the chain that were used as constants or shape helpers: the only ones allowed off it. */
  helpers: Set<OnnxNode>;
}

/**
 * The chain of nodes from the graph input to the model's output, in order. Every node must be
 * on it, a Constant feeding it, or the probabilities head; a cycle or a branch is refused.
 */
function graphChain(model: OnnxModel): { chain: OnnxNode[]; inputShape: number[]; values: Values; head: OnnxNode | undefined; output: string } {
  const { graph } = model;
  for (const node of graph.nodes) {
    if (node.domain !== '' && node.domain !== 'ai.onnx') throw unsupported(node, `op domain "${node.domain}" is not supported; scratchnet imports standard ONNX ops only`);
    if (!(ONNX_IMPORT_OPS as readonly string[]).includes(node.opType)) {
      throw unsupported(node, `op ${node.opType} is not supported; scratchnet imports chains of ${ONNX_IMPORT_OPS.filter((o) => !HELPER_OPS.includes(o)).join(', ')}`);
    }
  }
  const producer = new Map<string, OnnxNode>();
  for (const node of graph.nodes) {
    for (const out of node.outputs) {
      if (out === '') continue;
      if (producer.has(out) || graph.initializers.has(out)) throw bad(`value "${out}" is produced twice (by node "${node.name}" and another)`);
      producer.set(out, node);
    }
  }
  /**
   * The Constant or initializer behind `name`, through Identity nodes (torch aliases equal weights
   * that way). Memoised, so a long run of Identities costs its length once; a cycle of Identities
   * ends the walk.
   */
  const sources = new Map<string, OnnxTensor | null>();
  const constantSource = (name: string): OnnxTensor | null => {
    const path: string[] = [];
    const seen = new Set<OnnxNode>();
    let found: OnnxTensor | null = null;
    for (let current = name; ; ) {
      const known = sources.get(current);
      if (known !== undefined) {
        found = known;
        break;
      }
      path.push(current);
      const init = graph.initializers.get(current);
      if (init) {
        found = init;
        break;
      }
      const source = producer.get(current);
      if (!source || seen.has(source)) break;
      seen.add(source);
      if (source.opType === 'Constant') {
        found = source.attributes.get('value')?.t ?? null;
        if (!found) throw unsupported(source, 'only a Constant with a tensor "value" is supported');
        break;
      }
      if (source.opType !== 'Identity' || source.inputs.length !== 1) break;
      current = source.inputs[0];
    }
    for (const p of path) sources.set(p, found);
    return found;
  };
  const helpers = new Set<OnnxNode>();
  /** Marks the Constant and Identity nodes behind a constant `name` as used (walked once per name). */
  const markHelpers = (name: string) => {
    const seen = new Set<string>();
    for (let current = name; !seen.has(current); ) {
      seen.add(current);
      const source = producer.get(current);
      if (!source || (source.opType !== 'Constant' && source.opType !== 'Identity')) return;
      if (helpers.has(source)) return;
      helpers.add(source);
      if (source.opType === 'Constant') return;
      current = source.inputs[0];
    }
  };
  const values: Values = {
    producer,
    helpers,
    constant(node, name) {
      if (name === undefined || name === '') return undefined;
      const tensor = constantSource(name);
      if (!tensor) throw unsupported(node, `input "${name}" must be a constant (an initializer or a Constant node)`);
      markHelpers(name);
      return tensor;
    },
    isConstant: (name) => constantSource(name) !== null,
  };

  const realInputs = graph.inputs.filter((i) => !graph.initializers.has(i.name));
  if (realInputs.length !== 1) throw unsupportedGraph(`the graph has ${realInputs.length} inputs besides its weights; scratchnet models take exactly one`);
  const input = realInputs[0];
  if (input.elemType !== 1) throw unsupportedGraph(`input "${input.name}": the graph input must be float32`);
  const dims = input.dims ?? [];
  if (dims.length < 2 || dims.length > 5) throw unsupportedGraph(`input "${input.name}": the graph input must be [batch, ...shape] with 1 to 4 dimensions per example, got rank ${dims.length}`);
  const inputShape = dims.slice(1).map((d) => {
    if (typeof d !== 'number' || d < 1 || d > 2 ** 31 - 1) throw unsupportedGraph(`input "${input.name}": every input dimension but the batch must be a fixed size, got [${dims.join(', ')}]`);
    return d;
  });

  // The output: the only one, or of scratchnet's [logits, probabilities] pair the one that is not a softmax of the other.
  if (graph.outputs.length < 1 || graph.outputs.length > 2) throw unsupportedGraph(`the graph has ${graph.outputs.length} outputs; scratchnet imports one (or logits and their probabilities)`);
  let output = graph.outputs[0].name;
  let head: OnnxNode | undefined;
  if (graph.outputs.length === 2) {
    const [a, b] = graph.outputs.map((o) => o.name);
    const pa = producer.get(a);
    const pb = producer.get(b);
    head = pb && (pb.opType === 'Softmax' || pb.opType === 'Sigmoid') && pb.inputs[0] === a ? pb : pa && (pa.opType === 'Softmax' || pa.opType === 'Sigmoid') && pa.inputs[0] === b ? pa : undefined;
    if (!head) throw unsupportedGraph(`of its two outputs "${a}" and "${b}", neither is the softmax or sigmoid of the other`);
    // A sigmoid head stays in the model (predict would apply a softmax to logits); a softmax head is what predict computes.
    output = head.opType === 'Sigmoid' ? head.outputs[0] : head.inputs[0];
    if (head.opType === 'Sigmoid') head = undefined;
  }

  // Walk back from the output along each node's data input; at most one step per node, so a cycle ends the walk.
  const chain: OnnxNode[] = [];
  const onChain = new Set<OnnxNode>();
  let value = output;
  while (value !== input.name) {
    const node = producer.get(value);
    if (!node) throw bad(`value "${value}" is used but no node produces it and it is not the input`);
    if (onChain.has(node)) throw bad(`the nodes form a cycle through node "${node.name}"`);
    if (values.isConstant(value)) throw unsupported(node, 'the model output does not depend on its input');
    onChain.add(node);
    chain.push(node);
    value = dataInput(node, values.isConstant);
  }
  chain.reverse();
  return { chain, inputShape, values, head, output };
}

/**
 * After the chain was converted (which marks the constants and shape helpers it used): every node
 * is on the chain, the head, or such a helper, and every value the chain passes along is read by
 * the next node only (the logits also by the head, a flatten's input also by its Shape helper).
 */
function checkSequential(model: OnnxModel, { chain, values, head, output }: ReturnType<typeof graphChain>): void {
  const onChain = new Set(chain);
  for (const node of model.graph.nodes) {
    if (onChain.has(node) || node === head || values.helpers.has(node)) continue;
    throw unsupported(node, 'this node is not on the single chain from the input to the output; scratchnet imports sequential models only');
  }
  const readers = new Map<string, number>();
  for (const node of model.graph.nodes) {
    if (values.helpers.has(node)) continue;
    for (const name of node.inputs) readers.set(name, (readers.get(name) ?? 0) + 1);
  }
  for (const node of chain.slice(0, -1)) {
    const out = node.outputs[0];
    const allowed = head && out === head.inputs[0] ? 2 : 1;
    if ((readers.get(out) ?? 0) > allowed || model.graph.outputs.some((o) => o.name === out && o.name !== output && out !== head?.inputs[0])) {
      throw unsupported(node, `its output "${out}" is read more than once (a branch or skip connection); scratchnet imports sequential models only`);
    }
  }
}


function attrInt(node: OnnxNode, name: string, fallback: number): number {
  const a = node.attributes.get(name);
  if (a === undefined) return fallback;
  if (a.i === undefined) throw unsupported(node, `attribute ${name} should be an integer`);
  return a.i;
}

function attrFloat(node: OnnxNode, name: string, fallback: number): number {
  const a = node.attributes.get(name);
  if (a === undefined) return fallback;
  if (a.f === undefined) throw unsupported(node, `attribute ${name} should be a float`);
  return a.f;
}

function attrInts(node: OnnxNode, name: string, fallback: number[]): number[] {
  const a = node.attributes.get(name);
  if (a === undefined) return fallback;
  if (a.ints === undefined) throw unsupported(node, `attribute ${name} should be a list of integers`);
  return a.ints;
}

/** The shortest decimal that is the same float32 (ONNX stores 1e-5 as 9.99999974e-6). */
function float32Decimal(value: number): number {
  for (let digits = 1; digits <= 9; digits++) {
    const shorter = Number(value.toPrecision(digits));
    if (Math.fround(shorter) === Math.fround(value)) return shorter;
  }
  return value;
}

function checkAttributes(node: OnnxNode, known: string[]): void {
  for (const name of node.attributes.keys()) if (!known.includes(name)) throw unsupported(node, `attribute ${name} is not supported`);
}

/** A 2-D window's settings from kernel_shape, strides, pads (symmetric only) and dilations (1 only). */
function windowOf(node: OnnxNode, kernelFallback?: number[]): { kernel: [number, number]; stride: [number, number]; padding: [number, number] } {
  const autoPad = node.attributes.get('auto_pad')?.s ?? 'NOTSET';
  if (autoPad !== 'NOTSET' && autoPad !== 'VALID') throw unsupported(node, `auto_pad ${autoPad} is not supported; export with explicit pads`);
  const kernel = attrInts(node, 'kernel_shape', kernelFallback ?? []);
  const stride = attrInts(node, 'strides', [1, 1]);
  const pads = attrInts(node, 'pads', [0, 0, 0, 0]);
  const dilations = attrInts(node, 'dilations', [1, 1]);
  if (kernel.length !== 2 || stride.length !== 2 || pads.length !== 4) throw unsupported(node, 'only 2-D windows are supported');
  if (dilations.some((d) => d !== 1)) throw unsupported(node, `dilations [${dilations.join(', ')}] are not supported (only 1)`);
  if (pads[0] !== pads[2] || pads[1] !== pads[3]) throw unsupported(node, `asymmetric pads [${pads.join(', ')}] are not supported`);
  if ([...kernel, ...stride].some((v) => !Number.isInteger(v) || v < 1 || v > 65_536) || pads.some((v) => !Number.isInteger(v) || v < 0 || v > 65_536)) {
    throw unsupported(node, `window kernel [${kernel.join(', ')}], strides [${stride.join(', ')}], pads [${pads.join(', ')}] are out of range`);
  }
  return { kernel: [kernel[0], kernel[1]], stride: [stride[0], stride[1]], padding: [pads[0], pads[1]] };
}

function windowOut(node: OnnxNode, shape: number[], w: ReturnType<typeof windowOf>, channels: number): number[] {
  if (shape.length !== 3) throw unsupported(node, `needs a [channels, height, width] input, got [${shape.join(', ')}]`);
  const out = [0, 1].map((a) => Math.floor((shape[a + 1] + 2 * w.padding[a] - w.kernel[a]) / w.stride[a]) + 1);
  if (out.some((d) => d < 1)) throw unsupported(node, `its window does not fit its [${shape.join(', ')}] input`);
  return [channels, out[0], out[1]];
}

function floats(node: OnnxNode, t: OnnxTensor | undefined, what: string, dims: number[]): Float32Array {
  if (!t?.floats) throw unsupported(node, `its ${what} must be a float32 constant`);
  const size = dims.reduce((a, b) => a * b, 1);
  if (t.floats.length !== size) throw unsupported(node, `its ${what} has ${t.floats.length} values, [${t.dims.join(', ')}], where [${dims.join(', ')}] was expected`);
  return t.floats;
}

/** The layers and state_dict of the chain, numbered as an nn.Sequential. */
function layersOf(chain: OnnxNode[], inputShape: number[], values: Values, model: OnnxModel): { spec: ModelSpec; tensors: Map<string, Float32TensorLike> } {
  const layers: LayerSpec[] = [];
  const tensors = new Map<string, Float32TensorLike>();
  let shape = [...inputShape];
  let pendingPad: [number, number] | undefined;
  const opset = model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')!.version;
  const param = (name: string, dims: number[], data: Float32Array) => tensors.set(`${layers.length}.${name}`, { shape: dims, data });
  const push = (layer: LayerSpec, next: number[]) => {
    layers.push(layer);
    shape = next;
  };
  for (let n = 0; n < chain.length; n++) {
    const node = chain[n];
    if (pendingPad && node.opType !== 'AveragePool' && node.opType !== 'Conv') throw unsupported(node, 'a non-zero Pad is supported only before AveragePool or Conv');
    const c = (i: number) => values.constant(node, node.inputs[i]);
    switch (node.opType) {
      case 'Gemm':
      case 'MatMul': {
        if (node.opType === 'Gemm') {
          checkAttributes(node, ['alpha', 'beta', 'transA', 'transB']);
          if (attrFloat(node, 'alpha', 1) !== 1 || attrFloat(node, 'beta', 1) !== 1 || attrInt(node, 'transA', 0) !== 0) throw unsupported(node, 'only alpha = beta = 1 and transA = 0 are supported');
        }
        if (shape.length !== 1) throw unsupported(node, `needs a flat input, got [${shape.join(', ')}]; add a Flatten before it`);
        const w = c(1);
        const transB = node.opType === 'Gemm' ? attrInt(node, 'transB', 0) : 0;
        if (w?.dims.length !== 2) throw unsupported(node, 'its weight must be a 2-D float32 constant');
        const [rows, cols] = w.dims;
        const [outSize, inSize] = transB ? [rows, cols] : [cols, rows];
        if (inSize !== shape[0]) throw unsupported(node, `its weight [${w.dims.join(', ')}] does not take the ${shape[0]} values its input gives`);
        const data = floats(node, w, 'weight', w.dims);
        const weight = transB ? data : transpose(data, rows, cols);
        let bias: Float32Array = new Float32Array(outSize);
        const biasTensor = node.opType === 'Gemm' ? c(2) : undefined;
        if (biasTensor) bias = floats(node, biasTensor, 'bias', biasTensor.dims.length === 2 ? [1, outSize] : [outSize]);
        // torch writes Linear on a >2-D input (or without bias) as MatMul, then Add.
        const add = chain[n + 1];
        if (node.opType === 'MatMul' && add?.opType === 'Add') {
          const b = values.constant(add, add.inputs.find((name) => name !== node.outputs[0]));
          bias = floats(add, b, 'bias', b && b.dims.length === 2 ? [1, outSize] : [outSize]);
          n++;
        }
        param('weight', [outSize, inSize], weight);
        param('bias', [outSize], bias);
        push({ type: 'dense', inputSize: inSize, outputSize: outSize }, [outSize]);
        break;
      }
      case 'Add':
        throw unsupported(node, 'Add is supported only as the bias after a MatMul');
      case 'Conv': {
        checkAttributes(node, ['kernel_shape', 'strides', 'pads', 'dilations', 'group', 'auto_pad']);
        if (attrInt(node, 'group', 1) !== 1) throw unsupported(node, 'grouped convolutions are not supported (group must be 1)');
        const w = c(1);
        if (w?.dims.length !== 4) throw unsupported(node, 'its weight must be a 4-D float32 constant');
        const [outChannels, inChannels, kh, kw] = w.dims;
        if (shape.length !== 3 || inChannels !== shape[0]) throw unsupported(node, `its weight [${w.dims.join(', ')}] does not fit its [${shape.join(', ')}] input`);
        const win = windowOf(node, [kh, kw]);
        if (win.kernel[0] !== kh || win.kernel[1] !== kw) throw unsupported(node, `kernel_shape [${win.kernel.join(', ')}] differs from its weight's [${kh}, ${kw}]`);
        if (pendingPad) {
          win.padding = [win.padding[0] + pendingPad[0], win.padding[1] + pendingPad[1]];
          pendingPad = undefined;
        }
        param('weight', w.dims, floats(node, w, 'weight', w.dims));
        const b = c(2);
        if (b) param('bias', [outChannels], floats(node, b, 'bias', [outChannels]));
        push(
          { type: 'conv2d', inChannels, outChannels, kernelSize: win.kernel, stride: win.stride, padding: win.padding, ...(b ? {} : { bias: false }) },
          windowOut(node, shape, win, outChannels),
        );
        break;
      }
      case 'MaxPool':
      case 'AveragePool': {
        checkAttributes(node, ['kernel_shape', 'strides', 'pads', 'dilations', 'ceil_mode', 'auto_pad', 'storage_order', 'count_include_pad']);
        if (attrInt(node, 'ceil_mode', 0) !== 0) throw unsupported(node, 'ceil_mode 1 is not supported');
        if (node.outputs.length > 1 && node.outputs[1] !== '') throw unsupported(node, 'its indices output is not supported');
        if (!node.attributes.has('kernel_shape')) throw unsupported(node, 'kernel_shape is required');
        const win = windowOf(node);
        if (node.opType === 'AveragePool') {
          if (win.padding.some((p) => p > 0) && attrInt(node, 'count_include_pad', 0) !== 1) throw unsupported(node, 'padding is supported only with count_include_pad = 1 (PyTorch\'s default)');
          if (pendingPad) {
            win.padding = [win.padding[0] + pendingPad[0], win.padding[1] + pendingPad[1]];
            pendingPad = undefined;
          }
        }
        const type = node.opType === 'MaxPool' ? 'max_pool2d' : 'avg_pool2d';
        push({ type, kernelSize: win.kernel, stride: win.stride, padding: win.padding }, windowOut(node, shape, win, shape[0]));
        break;
      }
      case 'Pad': {
        checkAttributes(node, ['mode', 'pads', 'value']);
        if ((node.attributes.get('mode')?.s ?? 'constant') !== 'constant') throw unsupported(node, 'only constant padding is supported');
        const pads = opset >= 11 ? c(1)?.ints : attrInts(node, 'pads', []);
        const value = opset >= 11 ? c(2) : undefined;
        if (value && (value.floats?.length !== 1 || value.floats[0] !== 0)) throw unsupported(node, 'only zero padding is supported');
        if (opset < 11 && attrFloat(node, 'value', 0) !== 0) throw unsupported(node, 'only zero padding is supported');
        if (!pads || pads.length !== 2 * (shape.length + 1)) throw unsupported(node, 'its pads must be an int64 constant with two values per dimension');
        const r = shape.length + 1;
        const zeroOutside = pads.every((p, i) => (i % r < 2 ? p === 0 : true));
        if (pads.every((p) => p === 0)) break;
        if (r !== 4 || !zeroOutside || pads[2] !== pads[6] || pads[3] !== pads[7] || pads.some((p) => p < 0 || p > 65_536)) throw unsupported(node, `pads [${pads.join(', ')}] are not a symmetric padding of height and width`);
        pendingPad = [pads[2], pads[3]];
        break;
      }
      case 'BatchNormalization': {
        checkAttributes(node, ['epsilon', 'momentum', 'training_mode', 'spatial']);
        if (attrInt(node, 'training_mode', 0) !== 0 || node.outputs.slice(1).some((o) => o !== '')) throw unsupported(node, 'only inference-mode batch normalization (one output) is supported');
        if (attrInt(node, 'spatial', 1) !== 1) throw unsupported(node, 'spatial = 0 is not supported');
        if (shape.length !== 1 && shape.length !== 3) throw unsupported(node, `needs a [features] or [channels, height, width] input, got [${shape.join(', ')}]`);
        const features = shape[0];
        param('weight', [features], floats(node, c(1), 'scale', [features]));
        param('bias', [features], floats(node, c(2), 'bias', [features]));
        param('running_mean', [features], floats(node, c(3), 'mean', [features]));
        param('running_var', [features], floats(node, c(4), 'variance', [features]));
        param('num_batches_tracked', [], new Float32Array(1));
        push({ type: shape.length === 1 ? 'batch_norm1d' : 'batch_norm2d', numFeatures: features, eps: float32Decimal(attrFloat(node, 'epsilon', 1e-5)) }, shape);
        break;
      }
      case 'Flatten':
        checkAttributes(node, ['axis']);
        if (attrInt(node, 'axis', 1) !== 1) throw unsupported(node, 'only axis = 1 (keep the batch) is supported');
        push({ type: 'flatten' }, [shape.reduce((a, b) => a * b, 1)]);
        break;
      case 'Reshape': {
        checkAttributes(node, ['allowzero']);
        const size = shape.reduce((a, b) => a * b, 1);
        const target = values.isConstant(node.inputs[1] ?? '') ? c(1)?.ints : batchFlattenShape(node, values, opset, size);
        if (target?.length !== 2 || !(target[0] === 0 || target[0] === -1 || target[0] > 0) || !(target[1] === -1 || target[1] === size) || (target[0] === -1 && target[1] !== size)) {
          throw unsupported(node, `only a reshape to [batch, -1] (a flatten) is supported, got [${target?.join(', ') ?? '?'}]`);
        }
        push({ type: 'flatten' }, [size]);
        break;
      }
      case 'Relu':
      case 'Sigmoid':
      case 'Tanh':
        checkAttributes(node, []);
        push({ type: node.opType.toLowerCase() as 'relu' | 'sigmoid' | 'tanh' }, shape);
        break;
      case 'LeakyRelu':
        checkAttributes(node, ['alpha']);
        push({ type: 'leaky_relu', alpha: float32Decimal(attrFloat(node, 'alpha', 0.01)) }, shape);
        break;
      case 'Selu':
        checkAttributes(node, ['alpha', 'gamma']);
        if (Math.abs(attrFloat(node, 'alpha', SELU_ALPHA) - SELU_ALPHA) > 1e-6 || Math.abs(attrFloat(node, 'gamma', SELU_GAMMA) - SELU_GAMMA) > 1e-6) throw unsupported(node, 'only the standard SELU constants are supported');
        push({ type: 'selu' }, shape);
        break;
      case 'Softmax': {
        checkAttributes(node, ['axis']);
        const axis = attrInt(node, 'axis', opset >= 13 ? -1 : 1);
        if (shape.length !== 1 || (axis !== 1 && axis !== -1)) throw unsupported(node, `only a softmax over the features of a flat input is supported (axis ${axis}, input [${shape.join(', ')}])`);
        push({ type: 'softmax' }, shape);
        break;
      }
      case 'Identity':
        break;
      case 'Dropout':
        checkAttributes(node, ['ratio', 'seed']);
        if (opset >= 12 && node.inputs[2] && c(2)?.ints?.[0] !== 0) throw unsupported(node, 'training-mode dropout is not supported');
        break;
      default:
        throw unsupported(node, `op ${node.opType} cannot appear on the chain`);
    }
  }
  if (pendingPad) throw bad('the graph ends in a Pad');
  const spec: ModelSpec = { inputSize: inputShape.reduce((a, b) => a * b, 1), ...(inputShape.length > 1 ? { inputShape } : {}), layers };
  if (layers.length === 0) throw new FormatError(FormatErrorCode.UNSUPPORTED_OP, 'the ONNX graph computes nothing scratchnet can represent (no layers)');
  return { spec, tensors };
}

/**
 * torch's `x.view(x.size(0), -1)` with a dynamic batch: Shape(x) → Gather(index 0) → Unsqueeze(axes
 * [0]) → Concat with a constant [-1] (or the size) → Reshape(x, that). Returns the equivalent
 * constant target [0, -1] and marks those nodes as helpers, or refuses naming the node that differs.
 */
function batchFlattenShape(reshape: OnnxNode, values: Values, opset: number, size: number): number[] {
  const fail = (node: OnnxNode) => unsupported(node, "its shape must be a constant, or torch's x.view(x.size(0), -1) (Shape → Gather → Unsqueeze → Concat)");
  const concat = values.producer.get(reshape.inputs[1] ?? '');
  if (concat?.opType !== 'Concat' || attrInt(concat, 'axis', 0) !== 0 || concat.inputs.length !== 2) throw fail(concat ?? reshape);
  const unsqueeze = values.producer.get(concat.inputs[0]);
  if (unsqueeze?.opType !== 'Unsqueeze') throw fail(concat);
  const axes = opset >= 13 ? values.constant(unsqueeze, unsqueeze.inputs[1])?.ints : attrInts(unsqueeze, 'axes', []);
  if (axes?.length !== 1 || axes[0] !== 0) throw fail(unsqueeze);
  const gather = values.producer.get(unsqueeze.inputs[0]);
  if (gather?.opType !== 'Gather' || attrInt(gather, 'axis', 0) !== 0 || values.constant(gather, gather.inputs[1])?.ints?.join() !== '0') throw fail(gather ?? unsqueeze);
  const shapeOf = values.producer.get(gather.inputs[0]);
  if (shapeOf?.opType !== 'Shape' || shapeOf.inputs[0] !== reshape.inputs[0] || attrInt(shapeOf, 'start', 0) !== 0 || shapeOf.attributes.has('end')) throw fail(shapeOf ?? gather);
  const rest = values.constant(concat, concat.inputs[1])?.ints;
  if (rest?.length !== 1 || !(rest[0] === -1 || rest[0] === size)) throw fail(concat);
  for (const helper of [concat, unsqueeze, gather, shapeOf]) values.helpers.add(helper);
  return [0, -1];
}

function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

import type { LayerSpec, ModelSpec } from '@scratchnet/core';
import type { Float32TensorLike } from './checkpoint-types.js';
import { FormatError, FormatErrorCode } from './errors.js';
import { bad, unsupported, type Values } from './onnx-graph.js';
import type { OnnxModel, OnnxNode, OnnxTensor } from './onnx-read.js';

/** The layer side of ONNX import: each chain node's attributes and weights as a scratchnet layer and its state_dict tensors. */

/** ONNX's Selu defaults (PyTorch's constants as float32). */
const SELU_ALPHA = Math.fround(1.6732632423543772);
const SELU_GAMMA = Math.fround(1.0507009873554805);

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
export function layersOf(chain: OnnxNode[], inputShape: number[], values: Values, model: OnnxModel): { spec: ModelSpec; tensors: Map<string, Float32TensorLike> } {
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

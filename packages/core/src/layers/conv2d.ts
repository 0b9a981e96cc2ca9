import type { Backend, WindowGeometry } from '../backend/backend.js';
import { defaultInitializer, initialize } from '../init.js';
import type { LayerSpec, Shape } from '../model/spec.js';
import type { Parameter } from '../parameter.js';
import type { Rng } from '../random.js';
import { Tensor } from '../tensor.js';
import type { ElementwiseActivation } from './activations.js';
import { WINOGRAD_CHUNK_FLOATS, WinogradConv } from './conv2d-winograd.js';
import { checkInitializer } from './initializer-field.js';
import { defineLayer, invalidLayer, isPositiveInt, pair, tuple } from './layer-kind.js';
import { ensureBuffer, type ForwardContext, type Layer, type LayerBuffer, releaseBuffers } from './layer.js';
import { checkWindow, geometryFor, resolvePadding, type WindowSettings, windowOutput } from './window-geometry.js';

type Conv2dSpec = Extract<LayerSpec, { type: 'conv2d' }>;

/**
 * Most floats one im2col block may hold (64 MiB). Training batches fit in one block (a 3×3
 * convolution of 32 channels at 14×14, batch 128, needs 29 MiB; splitting it would convolve
 * smaller GEMMs and unfold the input twice); a large evaluation batch is convolved in chunks of
 * rows so its memory stays bounded.
 */
const COLUMN_BLOCK_FLOATS = 1 << 24;

/**
 * A stride-1 layer with at most this many weights per output channel (in·kh·kw: a first layer's
 * 1×5×5 or 1×3×3) convolves directly (backend.convForward / convWeightGradient): its im2col GEMM
 * would have an inner dimension of 9–25 and a column matrix 9–25× its input.
 */
const DIRECT_PATCH = 32;

/**
 * A 3×3 stride-1 layer with at least this many input and output channels convolves by Winograd
 * F(2×2, 3×3) (conv2d-winograd.ts): 16 GEMMs of 16 multiplies per 4 outputs instead of 36.
 */
const WINOGRAD_CHANNELS = 8;

/**
 * A 5×5 stride-1 layer with at least this many input channels (and WINOGRAD_CHANNELS output
 * channels) convolves by Winograd F(2×2, 5×5): 36 GEMMs of 36 multiplies per 4 outputs instead of 100.
 */
const WINOGRAD5_IN_CHANNELS = 8;

/**
 * An im2col layer (stride 1, output as large as its input) with at most this many input × output
 * channels computes its input gradient as a transposed direct convolution (Conv2d.directInputGradient).
 */
const DIRECT_INPUT_CHANNEL_PRODUCT = 512;

/**
 * 2-D convolution (PyTorch's nn.Conv2d, cross-correlation) over [channels, height, width] inputs:
 * weight [out, in, kh, kw], bias [out]. Forward is im2col, one GEMM W·col over the whole batch
 * (so it splits across threads like a Dense layer's), and a reorder into NCHW that adds the bias.
 * Backward reorders dy, then dW = dy·colᵀ, db = Σ dy, and dx = col2im(Wᵀ·dy). A small-patch,
 * stride-1 layer (DIRECT_PATCH) convolves directly instead, and when it needs no input gradient
 * (a first layer) computes dW and db straight from its input, with a fused ReLU's mask applied in
 * the same pass.
 */
export class Conv2d implements Layer {
  /** Largest patch convolved directly (DIRECT_PATCH), read when a layer is built; 0 turns the direct path off (A/B runs, tests). */
  static directPatch = DIRECT_PATCH;
  /** Most floats one im2col block may hold (COLUMN_BLOCK_FLOATS), read when a layer is built (A/B runs, tests). */
  static columnBlockFloats = COLUMN_BLOCK_FLOATS;
  /** Whether 3×3 and 5×5 stride-1 layers of enough channels (WINOGRAD_CHANNELS, WINOGRAD5_IN_CHANNELS) use Winograd, read when a layer is built (A/B runs, tests). */
  static winograd = true;
  /**
   * Whether an im2col layer of stride 1 computes its input gradient as a transposed direct
   * convolution (backend.convInputGradient: no Wᵀ·dy column matrix, no col2im), read when a layer
   * is built (A/B runs, tests).
   */
  static directInputGradient = true;
  /** Floats of a Winograd chunk's output-side buffer (WINOGRAD_CHUNK_FLOATS), read when a layer is built (A/B runs, tests). */
  static winogradChunkFloats = WINOGRAD_CHUNK_FLOATS;
  readonly spec: Conv2dSpec;
  readonly outputShape: Shape;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly parameters: readonly Parameter[];
  readonly buffers: readonly LayerBuffer[] = [];
  private readonly settings: WindowSettings;
  private readonly out: [number, number];
  /** Rows of im2col: in·kh·kw. */
  private readonly patch: number;
  private readonly positions: number;
  private readonly chunkRows: number;
  private readonly geometry: WindowGeometry;
  private output: Float32Array | null = null;
  private inputGradient: Float32Array | null = null;
  private columns: Float32Array | null = null;
  private channelMajor: Float32Array | null = null;
  private input: Float32Array | null = null;
  /** Whether `columns` still holds the im2col of the last forward's input (one chunk only). */
  private columnsValid = false;
  /** Small patch, stride 1: the direct kernels instead of im2col and the GEMM. */
  private readonly direct: boolean;
  /** The input gradient by backend.convInputGradient instead of Wᵀ·dy and col2im (Conv2d.directInputGradient). */
  private readonly directInput: boolean;
  /** 3×3, stride 1, enough channels: Winograd F(2×2, 3×3) instead of im2col (null otherwise). */
  private readonly winograd: WinogradConv | null;
  /** The fused ReLU's output: that ReLU left its derivative to this layer's backward. */
  private reluOutput: Float32Array | null = null;

  constructor(
    spec: Conv2dSpec,
    readonly inputShape: Shape,
    private readonly backend: Backend,
    options: { prefix: string; rng: Rng; nextActivation?: string },
  ) {
    this.spec = { ...spec };
    this.settings = convSettings(spec, 'conv2d');
    this.out = windowOutput(this.settings, inputShape, 'conv2d');
    const [kh, kw] = this.settings.kernel;
    const { inChannels, outChannels } = spec;
    this.outputShape = [outChannels, this.out[0], this.out[1]];
    this.inputSize = inputShape[0] * inputShape[1] * inputShape[2];
    this.positions = this.out[0] * this.out[1];
    this.outputSize = outChannels * this.positions;
    this.patch = inChannels * kh * kw;
    this.chunkRows = Math.max(1, Math.floor(Conv2d.columnBlockFloats / (this.patch * this.positions)));
    this.geometry = geometryFor(1, inputShape, this.settings, this.out);
    this.direct = this.patch <= Conv2d.directPatch && this.settings.stride[0] === 1 && this.settings.stride[1] === 1;
    const [padH, padW] = this.settings.padding;
    // Only where it measured faster: an output as large as the input (padding "same": a smaller
    // output would be padded back up, lenet5's 6→16 layer ran 11% slower per step) and few channels
    // (8→16 −20% on the kernel, 16→32 −17%, 32→64 only −4%).
    this.directInput =
      Conv2d.directInputGradient &&
      this.settings.stride[0] === 1 &&
      this.settings.stride[1] === 1 &&
      padH < kh &&
      padW < kw &&
      this.positions >= inputShape[1] * inputShape[2] &&
      inChannels * outChannels <= DIRECT_INPUT_CHANNEL_PRODUCT;
    const winograd =
      Conv2d.winograd &&
      !this.direct &&
      kh === kw &&
      this.settings.stride[0] === 1 &&
      this.settings.stride[1] === 1 &&
      outChannels >= WINOGRAD_CHANNELS &&
      ((kh === 3 && inChannels >= WINOGRAD_CHANNELS) || (kh === 5 && inChannels >= WINOGRAD5_IN_CHANNELS));
    this.winograd =
      winograd
        ? new WinogradConv(backend, inChannels, outChannels, this.geometry, this.inputSize, this.outputSize, Conv2d.winogradChunkFloats)
        : null;
    const w = new Tensor([outChannels, inChannels, kh, kw], backend.allocate(outChannels * this.patch));
    initialize(w.data, spec.init ?? defaultInitializer(options.nextActivation), this.patch, outChannels * kh * kw, options.rng);
    this.weight = { name: `${options.prefix}weight`, value: w, grad: new Tensor(w.shape, backend.allocate(w.size)) };
    this.bias =
      spec.bias === false
        ? null
        : {
            name: `${options.prefix}bias`,
            value: new Tensor([outChannels], backend.allocate(outChannels)),
            grad: new Tensor([outChannels], backend.allocate(outChannels)),
          };
    this.parameters = this.bias ? [this.weight, this.bias] : [this.weight];
  }

  /** Whether this layer convolves by Winograd F(2×2, 3×3) or F(2×2, 5×5) (tests, diagnostics). */
  get usesWinograd(): boolean {
    return this.winograd !== null;
  }

  reserve(rows: number): void {
    const chunk = Math.min(rows, this.chunkRows);
    this.output = ensureBuffer(this.backend, this.output, rows * this.outputSize);
    this.inputGradient = ensureBuffer(this.backend, this.inputGradient, rows * this.inputSize);
    if (this.winograd) {
      this.winograd.reserve(rows);
      return;
    }
    this.columns = ensureBuffer(this.backend, this.columns, chunk * this.patch * this.positions);
    this.channelMajor = ensureBuffer(this.backend, this.channelMajor, chunk * this.outputSize);
  }

  forward(x: Float32Array, rows: number, _context: ForwardContext): Float32Array {
    this.reserve(rows);
    const { backend, patch, positions } = this;
    const outChannels = this.spec.outChannels;
    const y = this.output!;
    this.reluOutput = null;
    if (this.direct) {
      backend.convForward('identity', x, this.weight.value.data, this.bias?.value.data ?? null, y, outChannels, this.geometryOf(rows), 0);
      this.input = x;
      this.columnsValid = false;
      return y;
    }
    if (this.winograd) {
      this.winograd.forward(x, this.weight.value.data, this.bias?.value.data ?? null, y, rows, false);
      this.input = x;
      return y;
    }
    for (let start = 0; start < rows; start += this.chunkRows) {
      const count = Math.min(this.chunkRows, rows - start);
      const g = this.geometryOf(count);
      backend.im2col(this.rowsOf(x, start, count, this.inputSize), this.columns!, g);
      backend.gemm(false, false, outChannels, count * positions, patch, this.weight.value.data, this.columns!, this.channelMajor!, false);
      backend.channelMajorToBatch(this.channelMajor!, this.rowsOf(y, start, count, this.outputSize), this.bias?.value.data ?? null, count, outChannels, positions);
    }
    this.input = x;
    this.columnsValid = rows <= this.chunkRows;
    return y;
  }

  /**
   * Forward fused with the ReLU that follows: the reorder out of the GEMM's channel-major result
   * adds the bias and applies max(0, ·) in the same pass, straight into the ReLU's output, which
   * also serves as the ReLU's recorded input (its backward reads only the sign, and the output
   * is positive exactly where the input is). Saves a pass over the batch. The ReLU hands dy
   * through in its backward, and this layer masks it in the pass that reorders dy for its GEMMs
   * (convOutputGradient) or computes its weight gradient (direct path): one pass instead of three.
   */
  forwardFused(x: Float32Array, rows: number, activation: ElementwiseActivation): Float32Array {
    this.reserve(rows);
    const { backend, patch, positions } = this;
    const outChannels = this.spec.outChannels;
    if (this.direct) {
      // The ReLU's derivative is applied by this layer's backward, in the weight gradient's pass.
      const y = activation.outputMaskedByProducer(rows);
      backend.convForward('relu', x, this.weight.value.data, this.bias?.value.data ?? null, y, outChannels, this.geometryOf(rows), 0);
      this.reluOutput = y;
      this.input = x;
      this.columnsValid = false;
      return y;
    }
    // The ReLU's derivative is applied by this layer's backward, in the pass that reorders dy.
    const y = activation.outputMaskedByProducer(rows);
    this.reluOutput = y;
    if (this.winograd) {
      this.winograd.forward(x, this.weight.value.data, this.bias?.value.data ?? null, y, rows, true);
      this.input = x;
      return y;
    }
    for (let start = 0; start < rows; start += this.chunkRows) {
      const count = Math.min(this.chunkRows, rows - start);
      const g = this.geometryOf(count);
      backend.im2col(this.rowsOf(x, start, count, this.inputSize), this.columns!, g);
      backend.gemm(false, false, outChannels, count * positions, patch, this.weight.value.data, this.columns!, this.channelMajor!, false);
      const bias = this.bias?.value.data ?? null;
      backend.channelMajorToBatchActivation('relu', this.channelMajor!, this.rowsOf(y, start, count, this.outputSize), bias, count, outChannels, positions, 0);
    }
    this.input = x;
    this.columnsValid = rows <= this.chunkRows;
    return y;
  }

  backward(dy: Float32Array, rows: number, needInputGradient: boolean, overwriteGradients = false): Float32Array | null {
    const { backend, patch, positions } = this;
    const outChannels = this.spec.outChannels;
    const dx = this.inputGradient!;
    if (this.direct && !needInputGradient) {
      const bias = this.bias?.grad.data ?? null;
      backend.convWeightGradient(this.input!, dy, this.reluOutput, this.weight.grad.data, bias, outChannels, this.geometryOf(rows), !overwriteGradients);
      return null;
    }
    if (this.winograd) {
      const bias = this.bias?.grad.data ?? null;
      this.winograd.backward(this.input!, dy, this.reluOutput, this.weight.grad.data, bias, needInputGradient ? dx : null, rows, overwriteGradients);
      return needInputGradient ? dx : null;
    }
    for (let start = 0; start < rows; start += this.chunkRows) {
      const count = Math.min(this.chunkRows, rows - start);
      const g = this.geometryOf(count);
      const accumulate = !overwriteGradients || start > 0;
      const dyRows = this.rowsOf(dy, start, count, this.outputSize);
      if (!this.columnsValid) backend.im2col(this.rowsOf(this.input!, start, count, this.inputSize), this.columns!, g);
      // dy reordered for the GEMMs, masked by the fused ReLU (it handed dy through), bias gradient summed.
      const relu = this.reluOutput ? this.rowsOf(this.reluOutput, start, count, this.outputSize) : null;
      backend.convOutputGradient(dyRows, relu, this.channelMajor!, this.bias?.grad.data ?? null, count, outChannels, positions, accumulate);
      backend.gemm(false, true, outChannels, patch, count * positions, this.channelMajor!, this.columns!, this.weight.grad.data, accumulate);
      if (needInputGradient && this.directInput) {
        // dx as the transposed convolution of the channel-major dy: no column matrix.
        backend.convInputGradient(this.channelMajor!, this.weight.value.data, this.rowsOf(dx, start, count, this.inputSize), outChannels, g);
      } else if (needInputGradient) {
        // Wᵀ·dy into the column block (its im2col is no longer needed), then folded back onto pixels.
        backend.gemm(true, false, patch, count * positions, outChannels, this.weight.value.data, this.channelMajor!, this.columns!, false);
        backend.col2im(this.columns!, this.rowsOf(dx, start, count, this.inputSize), g);
      }
    }
    this.columnsValid = false;
    return needInputGradient ? dx : null;
  }

  dispose(): void {
    releaseBuffers(this.backend, this.weight.value.data, this.weight.grad.data, this.bias?.value.data ?? null, this.bias?.grad.data ?? null);
    releaseBuffers(this.backend, this.output, this.inputGradient, this.columns, this.channelMajor);
    this.output = this.inputGradient = this.columns = this.channelMajor = null;
    this.winograd?.dispose();
  }

  /** The reused geometry, set to `rows` examples. */
  private geometryOf(rows: number): WindowGeometry {
    this.geometry.batch = rows;
    return this.geometry;
  }

  /** Rows [start, start + count) of a flat batch buffer (the buffer itself when that is all of it: no view is made). */
  private rowsOf(buffer: Float32Array, start: number, count: number, size: number): Float32Array {
    return start === 0 ? buffer : buffer.subarray(start * size, (start + count) * size);
  }
}

function convSettings(spec: Conv2dSpec, where: string): WindowSettings {
  const kernel = pair(spec.kernelSize);
  const stride = pair(spec.stride ?? 1);
  return { kernel, stride, padding: resolvePadding(spec.padding, kernel, stride, where) };
}

/** Registry entry: nn.Conv2d. */
export const conv2dLayer = defineLayer<Conv2dSpec>({
  type: 'conv2d',
  validate(spec, inputShape, where) {
    if (!isPositiveInt(spec.inChannels) || !isPositiveInt(spec.outChannels)) {
      throw invalidLayer(where, 'inChannels and outChannels must be positive integers');
    }
    checkWindow(spec, inputShape, where);
    if (spec.inChannels !== inputShape[0]) {
      throw invalidLayer(where, `expects ${spec.inChannels} input channels but the previous layer gives ${inputShape[0]}`);
    }
    if (spec.bias !== undefined && typeof spec.bias !== 'boolean') throw invalidLayer(where, `bias must be true or false, got ${JSON.stringify(spec.bias)}`);
    checkInitializer(spec.init, where);
    windowOutput(convSettings(spec, where), inputShape, where);
  },
  outputShape(spec, inputShape) {
    const [outH, outW] = windowOutput(convSettings(spec, 'conv2d'), inputShape, 'conv2d');
    return [spec.outChannels, outH, outW];
  },
  parameters(spec): Record<string, Shape> {
    const [kh, kw] = pair(spec.kernelSize);
    const weight = [spec.outChannels, spec.inChannels, kh, kw];
    return spec.bias === false ? { weight } : { weight, bias: [spec.outChannels] };
  },
  create: (spec, { index, inputShape, backend, rng, next }) => new Conv2d(spec, inputShape, backend, { prefix: `${index}.`, rng, nextActivation: next?.type }),
  describe(spec) {
    const { kernel, stride, padding } = convSettings(spec, 'conv2d');
    const bias = spec.bias === false ? ', bias=False' : '';
    return `Conv2d(${spec.inChannels}, ${spec.outChannels}, kernel_size=${tuple(kernel)}, stride=${tuple(stride)}${padding[0] || padding[1] ? `, padding=${tuple(padding)}` : ''}${bias})`;
  },
});

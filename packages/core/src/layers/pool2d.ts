import type { Backend, WindowGeometry } from '../backend/backend.js';
import type { LayerSpec, Shape } from '../model/spec.js';
import type { Parameter } from '../parameter.js';
import { defineLayer, invalidLayer, type LayerKind, pair } from './layer-kind.js';
import { ensureBuffer, type ForwardContext, type Layer, type LayerBuffer, releaseBuffers } from './layer.js';
import { checkWindow, geometryFor, type WindowSettings, windowOutput } from './window-geometry.js';

type PoolSpec = Extract<LayerSpec, { type: 'max_pool2d' | 'avg_pool2d' }>;

/**
 * 2-D max or average pooling over [channels, height, width] (PyTorch's MaxPool2d / AvgPool2d with
 * ceil_mode False; average pooling counts padding in the divisor, PyTorch's default). Max pooling
 * keeps the index of each window's maximum for the backward pass.
 */
export class Pool2d implements Layer {
  readonly spec: PoolSpec;
  readonly outputShape: Shape;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly parameters: readonly Parameter[] = [];
  readonly buffers: readonly LayerBuffer[] = [];
  private readonly geometry: WindowGeometry;
  private output: Float32Array | null = null;
  private inputGradient: Float32Array | null = null;
  /** Float storage for the max-pool indices, viewed as Int32Array (backend buffers are floats). */
  private argmaxStorage: Float32Array | null = null;
  private argmax: Int32Array | null = null;

  constructor(
    spec: PoolSpec,
    readonly inputShape: Shape,
    private readonly backend: Backend,
  ) {
    this.spec = { ...spec };
    const settings = poolSettings(spec);
    const out = windowOutput(settings, inputShape, spec.type);
    this.outputShape = [inputShape[0], out[0], out[1]];
    this.inputSize = inputShape[0] * inputShape[1] * inputShape[2];
    this.outputSize = inputShape[0] * out[0] * out[1];
    this.geometry = geometryFor(1, inputShape, settings, out);
  }

  reserve(rows: number): void {
    this.output = ensureBuffer(this.backend, this.output, rows * this.outputSize);
    this.inputGradient = ensureBuffer(this.backend, this.inputGradient, rows * this.inputSize);
    if (this.spec.type === 'max_pool2d' && (!this.argmaxStorage || this.argmaxStorage.length < rows * this.outputSize)) {
      this.argmaxStorage = ensureBuffer(this.backend, this.argmaxStorage, rows * this.outputSize);
      const storage = this.argmaxStorage;
      this.argmax = new Int32Array(storage.buffer, storage.byteOffset, storage.length);
    }
  }

  forward(x: Float32Array, rows: number, _context: ForwardContext): Float32Array {
    this.reserve(rows);
    this.geometry.batch = rows;
    if (this.spec.type === 'max_pool2d') this.backend.maxPoolForward(x, this.output!, this.argmax!, this.geometry);
    else this.backend.avgPoolForward(x, this.output!, this.geometry);
    return this.output!;
  }

  backward(dy: Float32Array, rows: number): Float32Array {
    this.geometry.batch = rows;
    if (this.spec.type === 'max_pool2d') this.backend.maxPoolBackward(dy, this.argmax!, this.inputGradient!, this.geometry);
    else this.backend.avgPoolBackward(dy, this.inputGradient!, this.geometry);
    return this.inputGradient!;
  }

  dispose(): void {
    releaseBuffers(this.backend, this.output, this.inputGradient, this.argmaxStorage);
    this.output = this.inputGradient = this.argmaxStorage = null;
    this.argmax = null;
  }
}

function poolSettings(spec: PoolSpec): WindowSettings {
  const kernel = pair(spec.kernelSize);
  return { kernel, stride: pair(spec.stride ?? spec.kernelSize), padding: pair(spec.padding ?? 0) };
}

function poolLayer<T extends PoolSpec['type']>(type: T, torchName: string): LayerKind<Extract<PoolSpec, { type: T }>> {
  // Built for the union, then narrowed: TypeScript cannot relate `T` to Extract<PoolSpec, { type: T }>.
  const kind: LayerKind<PoolSpec> = defineLayer<PoolSpec>({
    type,
    validate(spec, inputShape, where) {
      checkWindow(spec, inputShape, where);
      const { kernel, padding } = poolSettings(spec);
      if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2) {
        throw invalidLayer(where, `padding ${padding.join('×')} must be at most half the kernel ${kernel.join('×')} (as in PyTorch)`);
      }
      windowOutput(poolSettings(spec), inputShape, where);
    },
    outputShape(spec, inputShape) {
      const [outH, outW] = windowOutput(poolSettings(spec), inputShape, type);
      return [inputShape[0], outH, outW];
    },
    parameters: () => ({}),
    create: (spec, { inputShape, backend }) => new Pool2d(spec, inputShape, backend),
    describe(spec) {
      const show = (v: readonly [number, number]) => (v[0] === v[1] ? `${v[0]}` : `(${v[0]}, ${v[1]})`);
      const { kernel, stride, padding } = poolSettings(spec);
      const extra = type === 'max_pool2d' ? ', dilation=1, ceil_mode=False' : '';
      return `${torchName}(kernel_size=${show(kernel)}, stride=${show(stride)}, padding=${show(padding)}${extra})`;
    },
  });
  return kind as unknown as LayerKind<Extract<PoolSpec, { type: T }>>;
}

export const maxPool2dLayer = poolLayer('max_pool2d', 'MaxPool2d');
export const avgPool2dLayer = poolLayer('avg_pool2d', 'AvgPool2d');

import type { Backend } from '../backend/backend.js';
import type { LayerSpec, Shape } from '../model/spec.js';
import type { Parameter } from '../parameter.js';
import { defineLayer, invalidLayer } from './layer-kind.js';
import { asShape, ensureBuffer, type ForwardContext, type Layer, type LayerBuffer, releaseBuffers, shapeSize } from './layer.js';

/**
 * Inverted dropout (PyTorch's nn.Dropout), on an input of any shape: in training mode each value
 * is zeroed with probability `rate` and the survivors are scaled by 1/(1−rate), so evaluation
 * mode is a plain pass-through. Masks come from the context's seeded Rng (drawn here: the
 * generator's state is part of the trainer state); the products run as a backend kernel.
 */
export class Dropout implements Layer {
  readonly spec: LayerSpec;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly parameters: readonly Parameter[] = [];
  readonly buffers: readonly LayerBuffer[] = [];
  private mask: Float32Array | null = null;
  private output: Float32Array | null = null;
  private inputGradient: Float32Array | null = null;
  /** Whether the last forward applied a mask (training mode and rate > 0). */
  private active = false;

  constructor(
    shape: number | Shape,
    readonly rate: number,
    private readonly backend: Backend,
  ) {
    this.inputShape = this.outputShape = asShape(shape);
    this.inputSize = this.outputSize = shapeSize(this.inputShape);
    this.spec = { type: 'dropout', rate };
  }

  dispose(): void {
    releaseBuffers(this.backend, this.mask, this.output, this.inputGradient);
    this.mask = null;
    this.output = null;
    this.inputGradient = null;
  }

  reserve(rows: number): void {
    const n = rows * this.inputSize;
    this.mask = ensureBuffer(this.backend, this.mask, n);
    this.output = ensureBuffer(this.backend, this.output, n);
    this.inputGradient = ensureBuffer(this.backend, this.inputGradient, n);
  }

  forward(x: Float32Array, rows: number, context: ForwardContext): Float32Array {
    this.active = context.training && this.rate > 0;
    if (!this.active) return x;
    this.reserve(rows);
    const n = rows * this.inputSize;
    const mask = this.mask!;
    const keep = 1 / (1 - this.rate);
    const rng = context.rng;
    for (let i = 0; i < n; i++) mask[i] = rng.uniform() < this.rate ? 0 : keep;
    this.backend.multiply(x, mask, this.output!, n);
    return this.output!;
  }

  backward(dy: Float32Array, rows: number): Float32Array {
    if (!this.active) return dy;
    this.backend.multiply(dy, this.mask!, this.inputGradient!, rows * this.inputSize);
    return this.inputGradient!;
  }
}

/** Registry entry: nn.Dropout. */
export const dropoutLayer = defineLayer<Extract<LayerSpec, { type: 'dropout' }>>({
  type: 'dropout',
  validate(spec, _inputShape, where) {
    if (!(typeof spec.rate === 'number' && spec.rate >= 0 && spec.rate < 1)) throw invalidLayer(where, `rate must be in [0, 1), got ${spec.rate}`);
  },
  outputShape: (_spec, inputShape) => inputShape,
  parameters: () => ({}),
  create: (spec, { inputShape, backend }) => new Dropout(inputShape, spec.rate, backend),
  describe: (spec) => `Dropout(p=${spec.rate}, inplace=False)`,
});

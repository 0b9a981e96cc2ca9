import type { Backend } from '../backend/backend.js';
import type { LayerSpec } from '../model/spec.js';
import type { Parameter } from '../parameter.js';
import { ensureBuffer, type ForwardContext, type Layer, releaseBuffers } from './layer.js';

/**
 * Inverted dropout (PyTorch's nn.Dropout): in training mode each value is zeroed with
 * probability `rate` and the survivors are scaled by 1/(1−rate), so evaluation mode is a plain
 * pass-through. Masks come from the context's seeded Rng, which makes training reproducible.
 * The mask and multiply are plain loops: the Backend has no elementwise-product kernel.
 */
export class Dropout implements Layer {
  readonly spec: LayerSpec;
  readonly outputSize: number;
  readonly parameters: readonly Parameter[] = [];
  private mask: Float32Array | null = null;
  private output: Float32Array | null = null;
  private inputGradient: Float32Array | null = null;
  /** Whether the last forward applied a mask (training mode and rate > 0). */
  private active = false;

  constructor(
    readonly inputSize: number,
    readonly rate: number,
    private readonly backend: Backend,
  ) {
    this.outputSize = inputSize;
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
    const y = this.output!;
    const keep = 1 / (1 - this.rate);
    const rng = context.rng;
    for (let i = 0; i < n; i++) {
      const m = rng.uniform() < this.rate ? 0 : keep;
      mask[i] = m;
      y[i] = x[i] * m;
    }
    return y;
  }

  backward(dy: Float32Array, rows: number): Float32Array {
    if (!this.active) return dy;
    const n = rows * this.inputSize;
    const mask = this.mask!;
    const dx = this.inputGradient!;
    for (let i = 0; i < n; i++) dx[i] = dy[i] * mask[i];
    return dx;
  }
}

import type { Backend } from '../backend/backend.js';
import type { LayerSpec } from '../model/spec.js';
import type { Parameter } from '../parameter.js';
import { ensureBuffer, type ForwardContext, type Layer, releaseBuffers } from './layer.js';

/**
 * Row-wise softmax (PyTorch's nn.Softmax(dim=1)). For classification prefer an 'identity' output
 * with the fused cross-entropy loss, which is cheaper and more stable; this layer is for models
 * whose output must be probabilities (e.g. trained with MSE).
 */
export class Softmax implements Layer {
  readonly spec: LayerSpec = { type: 'softmax' };
  readonly outputSize: number;
  readonly parameters: readonly Parameter[] = [];
  private output: Float32Array | null = null;
  private inputGradient: Float32Array | null = null;

  constructor(
    readonly inputSize: number,
    private readonly backend: Backend,
  ) {
    this.outputSize = inputSize;
  }

  dispose(): void {
    releaseBuffers(this.backend, this.output, this.inputGradient);
    this.output = null;
    this.inputGradient = null;
  }

  reserve(rows: number): void {
    this.output = ensureBuffer(this.backend, this.output, rows * this.inputSize);
    this.inputGradient = ensureBuffer(this.backend, this.inputGradient, rows * this.inputSize);
  }

  forward(x: Float32Array, rows: number, _context: ForwardContext): Float32Array {
    this.reserve(rows);
    this.backend.softmax(x, this.output!, rows, this.inputSize);
    return this.output!;
  }

  /**
   * dx = y ⊙ (dy − Σ_j dy_j·y_j) per row. The Backend has no kernel for this (it is rarely on the
   * hot path, since cross-entropy is fused), so it is a plain loop here.
   */
  backward(dy: Float32Array, rows: number): Float32Array {
    const y = this.output!;
    const dx = this.inputGradient!;
    const cols = this.inputSize;
    for (let r = 0; r < rows; r++) {
      const row = r * cols;
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += dy[row + c] * y[row + c];
      for (let c = 0; c < cols; c++) dx[row + c] = y[row + c] * (dy[row + c] - dot);
    }
    return dx;
  }
}

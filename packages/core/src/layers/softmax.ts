import type { LayerSpec } from '../model/spec.js';
import type { ForwardContext } from './layer.js';
import { SameSizeLayer } from './same-size-layer.js';

/**
 * Row-wise softmax (PyTorch's nn.Softmax(dim=1)). For classification prefer an 'identity' output
 * with the fused cross-entropy loss, which is cheaper and more stable; this layer is for models
 * whose output must be probabilities (e.g. trained with MSE).
 */
export class Softmax extends SameSizeLayer {
  readonly spec: LayerSpec = { type: 'softmax' };

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

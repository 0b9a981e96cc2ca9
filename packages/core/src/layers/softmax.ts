import type { LayerSpec } from '../model/spec.js';
import { defineLayer, expectRank } from './layer-kind.js';
import type { ForwardContext } from './layer.js';
import { SameSizeLayer } from './same-size-layer.js';

/**
 * Row-wise softmax (PyTorch's nn.Softmax(dim=1)) over a flat input. For classification prefer an
 * 'identity' output with the fused cross-entropy loss, which is cheaper and more stable; this
 * layer is for models whose output must be probabilities (e.g. trained with MSE).
 */
export class Softmax extends SameSizeLayer {
  readonly spec: LayerSpec = { type: 'softmax' };

  forward(x: Float32Array, rows: number, _context: ForwardContext): Float32Array {
    this.reserve(rows);
    this.backend.softmax(x, this.output!, rows, this.inputSize);
    return this.output!;
  }

  /** dx = y ⊙ (dy − Σ_j dy_j·y_j) per row. */
  backward(dy: Float32Array, rows: number): Float32Array {
    this.backend.softmaxBackward(this.output!, dy, this.inputGradient!, rows, this.inputSize);
    return this.inputGradient!;
  }
}

/** Registry entry: nn.Softmax(dim=1). */
export const softmaxLayer = defineLayer<Extract<LayerSpec, { type: 'softmax' }>>({
  type: 'softmax',
  validate: (_spec, inputShape, where) => expectRank(inputShape, 1, where, "add a 'flatten' layer before it"),
  outputShape: (_spec, inputShape) => inputShape,
  parameters: () => ({}),
  create: (_spec, { inputShape, backend }) => new Softmax(inputShape, backend),
  describe: () => 'Softmax(dim=1)',
});

import type { LayerSpec } from '../model/spec.js';
import type { Parameter } from '../parameter.js';
import type { ForwardContext, Layer } from './layer.js';

/**
 * Flattens each example to one row (PyTorch's nn.Flatten). Batches are already stored as
 * row-major [rows, features] buffers, so forward and backward pass the data through; the layer
 * exists so that `Sequential.forward` accepts [batch, 28, 28] images and indices match PyTorch.
 */
export class Flatten implements Layer {
  readonly spec: LayerSpec = { type: 'flatten' };
  readonly outputSize: number;
  readonly parameters: readonly Parameter[] = [];

  constructor(readonly inputSize: number) {
    this.outputSize = inputSize;
  }

  reserve(): void {}

  dispose(): void {}

  forward(x: Float32Array, _rows: number, _context: ForwardContext): Float32Array {
    return x;
  }

  backward(dy: Float32Array): Float32Array {
    return dy;
  }
}

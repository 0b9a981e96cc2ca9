import type { LayerSpec } from '../model/spec.js';
import type { Parameter } from '../parameter.js';
import type { ForwardContext, Layer } from './layer.js';

/** Passes its input through unchanged (PyTorch's nn.Identity). */
export class Identity implements Layer {
  readonly spec: LayerSpec = { type: 'identity' };
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

import type { LayerSpec, Shape } from '../model/spec.js';
import type { Parameter } from '../parameter.js';
import { defineLayer } from './layer-kind.js';
import { asShape, type ForwardContext, type Layer, type LayerBuffer, shapeSize } from './layer.js';

/** Passes its input through unchanged (PyTorch's nn.Identity). */
export class Identity implements Layer {
  readonly spec: LayerSpec = { type: 'identity' };
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly parameters: readonly Parameter[] = [];
  readonly buffers: readonly LayerBuffer[] = [];

  constructor(shape: number | Shape, outputShape?: Shape) {
    this.inputShape = asShape(shape);
    this.outputShape = outputShape ?? this.inputShape;
    this.inputSize = shapeSize(this.inputShape);
    this.outputSize = shapeSize(this.outputShape);
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

/** Registry entry: nn.Identity. */
export const identityLayer = defineLayer<Extract<LayerSpec, { type: 'identity' }>>({
  type: 'identity',
  validate: () => {},
  outputShape: (_spec, inputShape) => inputShape,
  parameters: () => ({}),
  create: (_spec, { inputShape }) => new Identity(inputShape),
  describe: () => 'Identity()',
});

import type { LayerSpec, Shape } from '../model/spec.js';
import { Identity } from './identity.js';
import { asShape, shapeSize } from './layer.js';
import { defineLayer } from './layer-kind.js';

/**
 * Flattens each example to one row (PyTorch's nn.Flatten): [channels, height, width] becomes
 * [channels·height·width]. Batches are already stored as flat row-major buffers, so forward and
 * backward pass the data through, exactly as Identity does; only the shape changes.
 */
export class Flatten extends Identity {
  override readonly spec: LayerSpec = { type: 'flatten' };

  constructor(shape: number | Shape) {
    super(shape, [shapeSize(asShape(shape))]);
  }
}

/** Registry entry: nn.Flatten (from any shape to one row per example). */
export const flattenLayer = defineLayer<Extract<LayerSpec, { type: 'flatten' }>>({
  type: 'flatten',
  validate: () => {},
  outputShape: (_spec, inputShape) => [shapeSize(inputShape)],
  parameters: () => ({}),
  create: (_spec, { inputShape }) => new Flatten(inputShape),
  describe: () => 'Flatten(start_dim=1, end_dim=-1)',
});

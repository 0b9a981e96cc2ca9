import type { LayerSpec } from '../model/spec.js';
import { Identity } from './identity.js';

/**
 * Flattens each example to one row (PyTorch's nn.Flatten). Batches are already stored as
 * row-major [rows, features] buffers, so forward and backward pass the data through, exactly as
 * Identity does; the layer exists so that `Sequential.forward` accepts [batch, 28, 28] images and
 * indices match PyTorch.
 */
export class Flatten extends Identity {
  override readonly spec: LayerSpec = { type: 'flatten' };
}

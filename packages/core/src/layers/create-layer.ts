import type { Backend } from '../backend/backend.js';
import type { LayerSpec } from '../model/spec.js';
import type { Rng } from '../random.js';
import { ElementwiseActivation } from './activations.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import { Identity } from './identity.js';
import type { Layer } from './layer.js';
import { Softmax } from './softmax.js';

/**
 * Builds the layer for `spec` at position `index` of a Sequential model whose previous layer
 * outputs `width` features. `next` is the following layer's spec (it picks Dense's default init).
 */
export function createLayer(
  spec: LayerSpec,
  index: number,
  width: number,
  backend: Backend,
  rng: Rng,
  next: LayerSpec | undefined,
): Layer {
  switch (spec.type) {
    case 'dense':
      return new Dense(spec.inputSize, spec.outputSize, backend, {
        prefix: `${index}.`,
        rng,
        init: spec.init,
        nextActivation: next?.type,
      });
    case 'relu':
    case 'sigmoid':
    case 'tanh':
    case 'selu':
      return new ElementwiseActivation(spec.type, width, backend);
    case 'leaky_relu':
      return new ElementwiseActivation('leaky_relu', width, backend, spec.alpha);
    case 'softmax':
      return new Softmax(width, backend);
    case 'identity':
      return new Identity(width);
    case 'dropout':
      return new Dropout(width, spec.rate, backend);
    case 'flatten':
      return new Flatten(width);
  }
}

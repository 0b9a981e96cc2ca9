import { ConfigError, ErrorCode } from '../errors.js';
import type { LayerSpec, LayerType } from '../model/spec.js';
import { leakyReluLayer, reluLayer, seluLayer, sigmoidLayer, tanhLayer } from './activations.js';
import { batchNorm1dLayer, batchNorm2dLayer } from './batch-norm.js';
import { conv2dLayer } from './conv2d.js';
import { denseLayer } from './dense.js';
import { dropoutLayer } from './dropout.js';
import { flattenLayer } from './flatten.js';
import { identityLayer } from './identity.js';
import type { LayerKind, LayerRegistry } from './layer-kind.js';
import { avgPool2dLayer, maxPool2dLayer } from './pool2d.js';
import { softmaxLayer } from './softmax.js';

/**
 * Every layer kind scratchnet has, one entry each (the mapped type makes a missing kind a compile
 * error). A new layer is its own file with its kernels and one line here.
 */
export const LAYER_REGISTRY: LayerRegistry = {
  dense: denseLayer,
  conv2d: conv2dLayer,
  max_pool2d: maxPool2dLayer,
  avg_pool2d: avgPool2dLayer,
  batch_norm1d: batchNorm1dLayer,
  batch_norm2d: batchNorm2dLayer,
  flatten: flattenLayer,
  dropout: dropoutLayer,
  relu: reluLayer,
  leaky_relu: leakyReluLayer,
  sigmoid: sigmoidLayer,
  tanh: tanhLayer,
  selu: seluLayer,
  softmax: softmaxLayer,
  identity: identityLayer,
};

/** Layer type names, in registry order. */
export const LAYER_TYPES = Object.keys(LAYER_REGISTRY) as LayerType[];

/** The registry entry of a spec's type; ConfigError listing the valid types for an unknown one. */
export function layerKind(spec: LayerSpec, where: string): LayerKind {
  const type = spec && typeof spec === 'object' ? (spec as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !Object.hasOwn(LAYER_REGISTRY, type)) {
    throw new ConfigError(ErrorCode.INVALID_ARCHITECTURE, `${where}: unknown layer type '${String(type)}'; valid types: ${LAYER_TYPES.join(', ')}`);
  }
  return LAYER_REGISTRY[type as LayerType] as unknown as LayerKind;
}

import { isLayerArchitecture, type ModelSpec, parseArchitecture } from '@scratchnet/core';
import type { TrainConfig } from '../training/worker-protocol.js';

/**
 * Whether the architecture names its layers one by one ('1x28x28-conv(6,5,pad=2)-relu-…'), so it
 * carries its own activations and dropout and the form's fields for them do not apply.
 */
export function writesOwnLayers(architecture: string): boolean {
  return isLayerArchitecture(architecture);
}

/**
 * The model spec a training configuration describes: sizes ('784-16-16-10') with the form's
 * activations and dropout, or a layer-by-layer architecture as written. The page checks it with
 * this and the worker builds it with this, so the two never disagree.
 *
 * @throws ConfigError from core naming the bad token.
 */
export function specFromConfig(config: TrainConfig): ModelSpec {
  if (writesOwnLayers(config.architecture)) return parseArchitecture(config.architecture);
  return parseArchitecture(config.architecture, { activations: config.activations, dropout: config.dropout > 0 ? config.dropout : undefined });
}

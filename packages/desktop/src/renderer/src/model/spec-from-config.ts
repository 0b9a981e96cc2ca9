import { isLayerArchitecture, type ModelSpec, modelSpecForRun } from '@scratchnet/core';
import { settingsFromConfig } from '../train/run-settings.js';
import type { TrainConfig } from '../training/worker-protocol.js';

/**
 * Whether the architecture names its layers one by one ('1x28x28-conv(6,5,pad=2)-relu-…'), so it
 * carries its own activations and dropout and the form's fields for them do not apply.
 */
export function writesOwnLayers(architecture: string): boolean {
  return isLayerArchitecture(architecture);
}

/**
 * The model spec a training configuration describes, built by core's `modelSpecForRun` exactly as
 * the CLI builds it (an MSE run ends in a sigmoid). The page checks it with this and the worker
 * builds it with this, so the two never disagree.
 *
 * @throws ConfigError from core naming the bad token.
 */
export function specFromConfig(config: TrainConfig): ModelSpec {
  return modelSpecForRun(settingsFromConfig(config));
}

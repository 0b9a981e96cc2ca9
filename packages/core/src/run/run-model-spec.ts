import { ConfigError, ErrorCode } from '../errors.js';
import { validateModelSpec } from '../model/model-shapes.js';
import { parseArchitecture } from '../model/parse-architecture.js';
import { isLayerArchitecture } from '../model/parse-layers.js';
import type { ModelSpec } from '../model/spec.js';
import type { TrainingHyperparameters } from './hyperparameters.js';

/**
 * The model a run's settings describe, the same in both front ends: `arch` as sizes
 * ('784-128-10', with `activations` and `dropout` applied), layer by layer ('1x28x28-conv(6,5)-…',
 * which names its own activations; `dropout` > 0 is still applied), or a JSON ModelSpec as text.
 * An MSE run ends in a sigmoid.
 * @throws ConfigError naming the bad token.
 */
export function modelSpecForRun(settings: Pick<TrainingHyperparameters, 'arch' | 'activations' | 'dropout' | 'loss'>): ModelSpec {
  const arch = (settings.arch ?? '').trim();
  const output = settings.loss === 'mse' ? 'sigmoid' : 'identity';
  const dropout = settings.dropout && settings.dropout > 0 ? { dropout: settings.dropout } : {};
  if (arch.startsWith('{')) {
    let spec: ModelSpec;
    try {
      spec = JSON.parse(arch) as ModelSpec;
    } catch (cause) {
      throw new ConfigError(ErrorCode.INVALID_ARCHITECTURE, `arch: not a valid JSON model spec (${(cause as Error).message})`);
    }
    validateModelSpec(spec);
    return spec;
  }
  if (isLayerArchitecture(arch)) return parseArchitecture(arch, { output, ...dropout });
  return parseArchitecture(arch, { activations: settings.activations || 'relu', output, ...dropout });
}

import type { Backend } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import type { Parameter } from '../parameter.js';
import { Adam } from './adam.js';
import type { BaseOptimizer } from './base-optimizer.js';
import { resolveOptimizerConfig } from './optimizer-config.js';
import { RmsProp } from './rmsprop.js';
import { Sgd } from './sgd.js';
import type { OptimizerConfig } from './types.js';

/**
 * Builds the optimizer a config describes, over `parameters` (e.g. `model.parameters()`), with
 * its slot buffers allocated once on `backend`.
 *
 * @example
 * const optimizer = createOptimizer({ type: 'adamw', lr: 1e-3, clipNorm: 1 }, model.parameters());
 * // per batch: optimizer.zeroGrad(); model.forward(x); model.backward(dLoss); optimizer.step();
 *
 * @throws ConfigError (INVALID_ARGUMENT) for an invalid config (see `resolveOptimizerConfig`) or
 *   an empty or duplicated parameter list; ShapeError when a gradient's size differs from its value's.
 */
export function createOptimizer(config: OptimizerConfig, parameters: readonly Parameter[], backend: Backend = getBackend()): BaseOptimizer {
  switch (config?.type) {
    case 'sgd':
    case 'momentum':
      return new Sgd(config, parameters, backend);
    case 'rmsprop':
      return new RmsProp(config, parameters, backend);
    case 'adam':
    case 'adamw':
      return new Adam(config, parameters, backend);
    default:
      // Not a known type: let validation produce the message listing the valid ones.
      resolveOptimizerConfig(config);
      throw new Error('unreachable: resolveOptimizerConfig accepted an unknown optimizer type');
  }
}

import type { Backend } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import type { Parameter } from '../parameter.js';
import { BaseOptimizer } from './base-optimizer.js';
import type { OptimizerConfig } from './types.js';

/**
 * RMSProp, PyTorch's `torch.optim.RMSprop` (not centered, no momentum): with g = grad + wd·p,
 * s = ρ·s + (1 − ρ)·g² and p −= lr·g / (√s + eps).
 *
 * Slot: 'square' (PyTorch's `square_avg`).
 */
export class RmsProp extends BaseOptimizer {
  private readonly rho: number;
  private readonly eps: number;
  private readonly weightDecay: number;

  /** Validates `config` and fills its defaults; throws ConfigError like `createOptimizer`. */
  constructor(config: OptimizerConfig, parameters: readonly Parameter[], backend: Backend = getBackend()) {
    super(config, parameters, backend, ['rmsprop'], () => ['square']);
    this.rho = this.config.rho!;
    this.eps = this.config.eps!;
    this.weightDecay = this.config.weightDecay!;
  }

  protected updateParameter(index: number, lr: number): void {
    const p = this.parameters[index];
    this.backend.rmspropUpdate(p.value.data, p.grad.data, this.slots[0][index], p.value.data.length, lr, this.rho, this.eps, this.weightDecay);
  }
}

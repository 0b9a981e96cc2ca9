import type { Backend } from '../backend/backend.js';
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

  /** `config` must already be resolved; use `createOptimizer` to validate and fill defaults. */
  constructor(config: Readonly<OptimizerConfig>, parameters: readonly Parameter[], backend: Backend) {
    super(config, parameters, backend, ['square']);
    this.rho = config.rho!;
    this.eps = config.eps!;
    this.weightDecay = config.weightDecay!;
  }

  protected updateParameter(index: number, lr: number): void {
    const p = this.parameters[index];
    this.backend.rmspropUpdate(p.value.data, p.grad.data, this.slots[0][index], p.value.data.length, lr, this.rho, this.eps, this.weightDecay);
  }
}

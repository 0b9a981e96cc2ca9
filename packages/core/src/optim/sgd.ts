import type { Backend } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import type { Parameter } from '../parameter.js';
import { BaseOptimizer } from './base-optimizer.js';
import type { OptimizerConfig } from './types.js';

const NO_VELOCITY = new Float32Array(0);

/**
 * Stochastic gradient descent, PyTorch's `torch.optim.SGD` (dampening 0): with g = grad + wd·p,
 * plain SGD does p −= lr·g; with momentum μ, v = μ·v + g and p −= lr·v; with Nesterov,
 * p −= lr·(g + μ·v). Serves both the 'sgd' and 'momentum' config types.
 *
 * Slot: 'velocity' (PyTorch's `momentum_buffer`), only when momentum > 0.
 */
export class Sgd extends BaseOptimizer {
  private readonly momentum: number;
  private readonly nesterov: boolean;
  private readonly weightDecay: number;

  /** Validates `config` and fills its defaults; throws ConfigError like `createOptimizer`. */
  constructor(config: OptimizerConfig, parameters: readonly Parameter[], backend: Backend = getBackend()) {
    super(config, parameters, backend, ['sgd', 'momentum'], (c) => (c.momentum! > 0 ? ['velocity'] : []));
    this.momentum = this.config.momentum!;
    this.nesterov = this.config.nesterov!;
    this.weightDecay = this.config.weightDecay!;
  }

  protected updateParameter(index: number, lr: number): void {
    const p = this.parameters[index];
    const velocity = this.momentum > 0 ? this.slots[0][index] : NO_VELOCITY;
    this.backend.sgdUpdate(p.value.data, p.grad.data, velocity, p.value.data.length, lr, this.momentum, this.nesterov, this.weightDecay);
  }
}

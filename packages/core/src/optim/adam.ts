import type { Backend } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import type { Parameter } from '../parameter.js';
import { BaseOptimizer } from './base-optimizer.js';
import type { OptimizerConfig } from './types.js';

/**
 * Adam and AdamW, PyTorch's `torch.optim.Adam` / `AdamW` (amsgrad off). At step t (1-based):
 * m = β1·m + (1 − β1)·g, v = β2·v + (1 − β2)·g², and
 * p −= lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps), the bias corrections undoing m and v's
 * pull toward their zero start.
 *
 * Weight decay: 'adam' adds it to the gradient as an L2 penalty (g = grad + wd·p, so it is
 * rescaled by the adaptive denominator); 'adamw' decouples it, p ← p·(1 − lr·wd), before the step.
 *
 * Slots: 'm' and 'v' (PyTorch's `exp_avg` and `exp_avg_sq`).
 */
export class Adam extends BaseOptimizer {
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;
  private readonly weightDecay: number;
  private readonly decoupled: boolean;

  /** Validates `config` and fills its defaults; throws ConfigError like `createOptimizer`. */
  constructor(config: OptimizerConfig, parameters: readonly Parameter[], backend: Backend = getBackend()) {
    super(config, parameters, backend, ['adam', 'adamw'], () => ['m', 'v']);
    this.beta1 = this.config.beta1!;
    this.beta2 = this.config.beta2!;
    this.eps = this.config.eps!;
    this.weightDecay = this.config.weightDecay!;
    this.decoupled = this.config.type === 'adamw';
  }

  protected updateParameter(index: number, lr: number, step: number): void {
    const p = this.parameters[index];
    this.backend.adamUpdate(
      p.value.data,
      p.grad.data,
      this.slots[0][index],
      this.slots[1][index],
      p.value.data.length,
      lr,
      this.beta1,
      this.beta2,
      this.eps,
      this.weightDecay,
      this.decoupled,
      step,
    );
  }
}

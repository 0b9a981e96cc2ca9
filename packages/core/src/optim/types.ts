import type { Backend } from '../backend/backend.js';
import type { Parameter } from '../parameter.js';

import type { OptimizerType } from './optimizer-types.js';

export type { OptimizerType };

/**
 * Hyperparameters of an optimizer; unset fields take PyTorch's defaults. Only the fields that
 * apply to `type` are accepted (`createOptimizer` rejects e.g. `beta1` on 'sgd'):
 *
 * | type     | fields (default)                                                         |
 * |----------|--------------------------------------------------------------------------|
 * | sgd      | lr, momentum (0), nesterov (false), weightDecay (0), clipNorm            |
 * | momentum | lr, momentum (0.9), nesterov (false), weightDecay (0), clipNorm          |
 * | rmsprop  | lr, rho (0.99), eps (1e-8), weightDecay (0), clipNorm                    |
 * | adam     | lr, beta1 (0.9), beta2 (0.999), eps (1e-8), weightDecay (0, L2), clipNorm |
 * | adamw    | lr, beta1 (0.9), beta2 (0.999), eps (1e-8), weightDecay (0.01, decoupled), clipNorm |
 */
export interface OptimizerConfig {
  type: OptimizerType;
  /** Base learning rate, a finite number > 0 (a schedule scales it per epoch or step). */
  lr: number;
  /** SGD momentum μ in [0, 1) ('momentum' defaults to 0.9, 'sgd' to 0). */
  momentum?: number;
  /** Nesterov momentum (needs momentum > 0). */
  nesterov?: boolean;
  /** Adam β1 in [0, 1). */
  beta1?: number;
  /** Adam β2 in [0, 1). */
  beta2?: number;
  /** Added to the denominator of Adam and RMSProp, a finite number > 0. */
  eps?: number;
  /** RMSProp smoothing ρ in [0, 1) (PyTorch's `alpha`, default 0.99). */
  rho?: number;
  /** L2 penalty for sgd/momentum/rmsprop/adam; decoupled decay for adamw (default 0.01 there). */
  weightDecay?: number;
  /** Clip gradients to this global L2 norm before each step (off when unset). */
  clipNorm?: number;
}

/** Everything needed to continue optimizing exactly where it stopped. */
export interface OptimizerState {
  type: OptimizerType;
  /** Number of steps taken so far (Adam's bias correction uses it). */
  step: number;
  /** Learning rate in effect (after any schedule). */
  learningRate: number;
  /** Per-parameter slots keyed '<slot>/<parameter name>', e.g. 'm/0.weight', 'v/0.weight', 'velocity/0.bias'. */
  slots: Record<string, Float32Array>;
}

/** A stateful optimizer over a fixed list of parameters. */
export interface Optimizer {
  /** The validated configuration with every default filled in. */
  readonly config: Readonly<OptimizerConfig>;
  readonly parameters: readonly Parameter[];
  /** Current learning rate; schedules set it between epochs or steps. A finite number ≥ 0. */
  learningRate: number;
  /** Applies one update from the accumulated gradients (clipping them first if configured). */
  step(): void;
  /** Zeroes every parameter's gradient. */
  zeroGrad(): void;
  /** Copies of every slot, the step count and the learning rate. */
  stateDict(): OptimizerState;
  /** Restores a `stateDict()`; checks type, slot names and sizes. */
  loadStateDict(state: OptimizerState): void;
  /** Releases backend buffers (slots); optional for third-party optimizers. */
  dispose?(): void;
}

export type OptimizerFactory = (config: OptimizerConfig, parameters: readonly Parameter[], backend?: Backend) => Optimizer;

/**
 * Learning-rate schedules (see `scheduledLearningRate`): all but 'warmup' change the rate once
 * per epoch; 'warmup' ramps it linearly per step over its first `warmupEpochs` epochs, then
 * hands over to `then` (default 'constant').
 */
export type ScheduleConfig =
  | { type: 'constant' }
  | { type: 'step'; stepSize: number; gamma: number }
  | { type: 'exponential'; gamma: number }
  | { type: 'cosine'; minLr?: number }
  | { type: 'warmup'; warmupEpochs: number; then?: ScheduleConfig };

/** Where in training a learning rate is wanted; all counters are 0-based. */
export interface ScheduleContext {
  /** Current epoch, 0-based. */
  epoch: number;
  /** Optimizer step within the epoch, 0-based (only 'warmup' looks at it). */
  step: number;
  /** Optimizer steps per epoch (batches per epoch); needed by 'warmup'. */
  stepsPerEpoch: number;
  /** Number of epochs the run will train; needed by 'cosine'. */
  totalEpochs: number;
}

import type { Backend } from '../backend/backend.js';
import type { Parameter } from '../parameter.js';

export type OptimizerType = 'sgd' | 'momentum' | 'rmsprop' | 'adam' | 'adamw';

/** Hyperparameters of an optimizer; unset fields take PyTorch's defaults. */
export interface OptimizerConfig {
  type: OptimizerType;
  /** Base learning rate (a schedule scales it per epoch). */
  lr: number;
  /** SGD momentum μ ('momentum' defaults to 0.9, 'sgd' to 0). */
  momentum?: number;
  nesterov?: boolean;
  /** Adam β1, β2, ε. */
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** RMSProp smoothing ρ (PyTorch's `alpha`, default 0.99). */
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

export interface Optimizer {
  readonly config: Readonly<OptimizerConfig>;
  readonly parameters: readonly Parameter[];
  /** Current learning rate; schedules set it between epochs or steps. */
  learningRate: number;
  /** Applies one update from the accumulated gradients (clipping them first if configured). */
  step(): void;
  /** Zeroes every parameter's gradient. */
  zeroGrad(): void;
  stateDict(): OptimizerState;
  loadStateDict(state: OptimizerState): void;
}

export type OptimizerFactory = (config: OptimizerConfig, parameters: readonly Parameter[], backend?: Backend) => Optimizer;

/** Learning-rate schedules, evaluated per epoch (warm-up per step). */
export type ScheduleConfig =
  | { type: 'constant' }
  | { type: 'step'; stepSize: number; gamma: number }
  | { type: 'exponential'; gamma: number }
  | { type: 'cosine'; minLr?: number }
  | { type: 'warmup'; warmupEpochs: number; then?: ScheduleConfig };

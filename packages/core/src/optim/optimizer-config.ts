import { ConfigError, ErrorCode } from '../errors.js';
import { OPTIMIZER_TYPES } from './optimizer-types.js';
import type { OptimizerConfig, OptimizerType } from './types.js';

type OptionName = Exclude<keyof OptimizerConfig, 'type'>;

export { OPTIMIZER_TYPES };

const SGD_OPTIONS: readonly OptionName[] = ['lr', 'momentum', 'nesterov', 'weightDecay', 'clipNorm'];
const ADAM_OPTIONS: readonly OptionName[] = ['lr', 'beta1', 'beta2', 'eps', 'weightDecay', 'clipNorm'];

/** Which options apply to which optimizer; anything else is rejected so a typo cannot pass silently. */
const OPTIONS_BY_TYPE: Record<OptimizerType, readonly OptionName[]> = {
  sgd: SGD_OPTIONS,
  momentum: SGD_OPTIONS,
  rmsprop: ['lr', 'rho', 'eps', 'weightDecay', 'clipNorm'],
  adam: ADAM_OPTIONS,
  adamw: ADAM_OPTIONS,
};

/** PyTorch's defaults, except that 'momentum' is SGD with μ = 0.9. */
const DEFAULTS: Record<OptimizerType, Partial<OptimizerConfig>> = {
  sgd: { momentum: 0, nesterov: false, weightDecay: 0 },
  momentum: { momentum: 0.9, nesterov: false, weightDecay: 0 },
  rmsprop: { rho: 0.99, eps: 1e-8, weightDecay: 0 },
  adam: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
  adamw: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 },
};

/**
 * Checks an optimizer configuration and fills in the defaults for its type.
 *
 * @returns a frozen copy holding `type`, `lr` and every option that applies to the type.
 * @throws ConfigError (INVALID_ARGUMENT) naming the offending field: an unknown type (listing the
 *   valid ones), an option that does not apply to the type (listing those that do), or a value out
 *   of range (lr not a finite number > 0, a β or ρ outside [0, 1), nesterov without momentum, …).
 */
export function resolveOptimizerConfig(config: OptimizerConfig): Readonly<OptimizerConfig> {
  if (typeof config !== 'object' || config === null) {
    fail(`optimizer config must be an object such as { type: 'adam', lr: 0.001 }, got ${describe(config)}`);
  }
  const type = config.type;
  if (!OPTIMIZER_TYPES.includes(type)) {
    fail(`unknown optimizer type ${describe(type)}; valid types: ${OPTIMIZER_TYPES.join(', ')}`);
  }
  const allowed = OPTIONS_BY_TYPE[type];
  for (const [key, value] of Object.entries(config)) {
    if (key === 'type' || value === undefined) continue;
    if (!allowed.includes(key as OptionName)) {
      fail(`option '${key}' does not apply to optimizer '${type}'; its options are: ${allowed.join(', ')}`);
    }
  }

  const resolved: OptimizerConfig = { type, lr: config.lr, ...DEFAULTS[type] };
  for (const key of allowed) {
    const value = config[key];
    if (value !== undefined) (resolved as unknown as Record<string, unknown>)[key] = value;
  }

  positive(resolved, 'lr');
  if (type === 'sgd' || type === 'momentum') {
    unitInterval(resolved, 'momentum');
    if (typeof resolved.nesterov !== 'boolean') fail(`optimizer.nesterov must be true or false, got ${describe(resolved.nesterov)}`);
    if (resolved.nesterov && resolved.momentum === 0) {
      fail(`optimizer.nesterov needs momentum > 0 (got momentum 0); set momentum (e.g. 0.9) or use type 'momentum'`);
    }
  }
  if (type === 'rmsprop') unitInterval(resolved, 'rho');
  if (type === 'adam' || type === 'adamw') {
    unitInterval(resolved, 'beta1');
    unitInterval(resolved, 'beta2');
  }
  if (type === 'rmsprop' || type === 'adam' || type === 'adamw') positive(resolved, 'eps');
  nonNegative(resolved, 'weightDecay');
  if (type === 'adamw' && resolved.lr * resolved.weightDecay! >= 1) {
    fail(
      `optimizer: adamw multiplies weights by 1 − lr·weightDecay each step, so lr·weightDecay must be < 1 ` +
        `(got ${resolved.lr}·${resolved.weightDecay}); lower lr or weightDecay`,
    );
  }
  if (resolved.clipNorm !== undefined) positive(resolved, 'clipNorm');
  return Object.freeze(resolved);
}

function positive(config: OptimizerConfig, key: OptionName): void {
  const value = config[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(`optimizer.${key} must be a finite number > 0, got ${describe(value)}`);
  }
}

function nonNegative(config: OptimizerConfig, key: OptionName): void {
  const value = config[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(`optimizer.${key} must be a finite number ≥ 0, got ${describe(value)}`);
  }
}

function unitInterval(config: OptimizerConfig, key: OptionName): void {
  const value = config[key];
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    fail(`optimizer.${key} must be a number in [0, 1), got ${describe(value)}`);
  }
}

function fail(message: string): never {
  throw new ConfigError(ErrorCode.INVALID_ARGUMENT, message);
}

/** Renders a bad value for an error message: strings quoted, everything else as JSON would. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || value === undefined || value === null) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

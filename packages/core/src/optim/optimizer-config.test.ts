import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../backend/index.js';
import { ConfigError, ErrorCode, ShapeError } from '../errors.js';
import type { Parameter } from '../parameter.js';
import { Tensor } from '../tensor.js';
import { Adam } from './adam.js';
import { createOptimizer } from './create-optimizer.js';
import { resolveOptimizerConfig } from './optimizer-config.js';
import type { OptimizerConfig } from './types.js';

const parameters: Parameter[] = [{ name: '0.weight', value: new Tensor([2, 2]), grad: new Tensor([2, 2]) }];

/** The message of the ConfigError (INVALID_ARGUMENT) that creating this optimizer throws. */
function rejection(config: unknown, params: Parameter[] = parameters): string {
  try {
    createOptimizer(config as OptimizerConfig, params, createJsBackend());
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe(ErrorCode.INVALID_ARGUMENT);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(config)}`);
}

describe('optimizer config', () => {
  it('fills in PyTorch defaults per type, momentum 0.9 for type momentum', () => {
    expect(resolveOptimizerConfig({ type: 'sgd', lr: 0.1 })).toEqual({ type: 'sgd', lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 });
    expect(resolveOptimizerConfig({ type: 'momentum', lr: 0.1 }).momentum).toBe(0.9);
    expect(resolveOptimizerConfig({ type: 'rmsprop', lr: 0.1 })).toEqual({ type: 'rmsprop', lr: 0.1, rho: 0.99, eps: 1e-8, weightDecay: 0 });
    expect(resolveOptimizerConfig({ type: 'adam', lr: 0.1 })).toEqual({ type: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 });
    expect(resolveOptimizerConfig({ type: 'adamw', lr: 0.1 }).weightDecay).toBe(0.01);
    expect(resolveOptimizerConfig({ type: 'adam', lr: 0.1, beta2: 0.9, clipNorm: 5 })).toMatchObject({ beta2: 0.9, clipNorm: 5 });
    expect(Object.isFrozen(createOptimizer({ type: 'adam', lr: 0.1 }, parameters).config)).toBe(true);
  });

  it('rejects bad values with a message naming the field and the value', () => {
    expect(rejection({ type: 'adam', lr: -1 })).toBe('optimizer.lr must be a finite number > 0, got -1');
    expect(rejection({ type: 'adam', lr: 0 })).toMatch(/lr must be a finite number > 0, got 0/);
    expect(rejection({ type: 'adam', lr: Number.NaN })).toMatch(/got NaN/);
    expect(rejection({ type: 'adam', lr: '0.1' })).toMatch(/lr .* got '0\.1'/);
    expect(rejection({ type: 'adam' })).toMatch(/lr .* got undefined/);
    expect(rejection({ type: 'adam', lr: 0.1, beta1: 1 })).toBe('optimizer.beta1 must be a number in [0, 1), got 1');
    expect(rejection({ type: 'adam', lr: 0.1, beta2: -0.1 })).toMatch(/beta2 must be a number in \[0, 1\)/);
    expect(rejection({ type: 'rmsprop', lr: 0.1, rho: 1.5 })).toMatch(/rho must be a number in \[0, 1\)/);
    expect(rejection({ type: 'rmsprop', lr: 0.1, eps: 0 })).toMatch(/eps must be a finite number > 0, got 0/);
    expect(rejection({ type: 'momentum', lr: 0.1, momentum: 1 })).toMatch(/momentum must be a number in \[0, 1\), got 1/);
    expect(rejection({ type: 'sgd', lr: 0.1, nesterov: true })).toMatch(/nesterov needs momentum > 0/);
    expect(rejection({ type: 'sgd', lr: 0.1, nesterov: 'yes' })).toMatch(/nesterov must be true or false/);
    expect(rejection({ type: 'sgd', lr: 0.1, weightDecay: -0.1 })).toMatch(/weightDecay must be a finite number ≥ 0, got -0\.1/);
    expect(rejection({ type: 'adamw', lr: 1, weightDecay: 1 })).toMatch(/lr·weightDecay must be < 1/);
    expect(rejection({ type: 'adam', lr: 0.1, clipNorm: 0 })).toMatch(/clipNorm must be a finite number > 0, got 0/);
  });

  it('an unknown type lists the valid ones; an option of another optimizer lists the right ones', () => {
    expect(rejection({ type: 'adagrad', lr: 0.1 })).toBe("unknown optimizer type 'adagrad'; valid types: sgd, momentum, rmsprop, adam, adamw");
    expect(rejection(null)).toMatch(/must be an object/);
    expect(rejection({ type: 'sgd', lr: 0.1, beta1: 0.9 })).toBe(
      "option 'beta1' does not apply to optimizer 'sgd'; its options are: lr, momentum, nesterov, weightDecay, clipNorm",
    );
    expect(rejection({ type: 'adam', learningRate: 0.1, lr: 0.1 })).toMatch(/option 'learningRate' does not apply/);
    // undefined counts as unset, so callers can spread optional CLI flags.
    expect(() => createOptimizer({ type: 'adam', lr: 0.1, momentum: undefined }, parameters)).not.toThrow();
  });

  it('checks the parameter list', () => {
    expect(rejection({ type: 'sgd', lr: 0.1 }, [])).toMatch(/no parameters to optimize/);
    expect(rejection({ type: 'sgd', lr: 0.1 }, [parameters[0], parameters[0]])).toMatch(/'0\.weight' appears twice/);
    const mismatched: Parameter = { name: 'x', value: new Tensor([2, 3]), grad: new Tensor([3]) };
    expect(() => createOptimizer({ type: 'sgd', lr: 0.1 }, [mismatched])).toThrow(ShapeError);
    expect(() => createOptimizer({ type: 'sgd', lr: 0.1 }, [mismatched])).toThrow(/shape \[2, 3\] but its gradient \[3\]/);
  });

  it('the classes validate their config too, so direct construction gets the same defaults and errors', () => {
    expect(new Adam({ type: 'adamw', lr: 0.1 }, parameters).config).toEqual(resolveOptimizerConfig({ type: 'adamw', lr: 0.1 }));
    expect(() => new Adam({ type: 'sgd', lr: 0.1 }, parameters)).toThrow("Adam implements 'adam' and 'adamw', not 'sgd'; use createOptimizer(config, parameters)");
    expect(() => new Adam({ type: 'adam', lr: 0.1, beta1: 2 }, parameters)).toThrow(/beta1 must be a number in \[0, 1\)/);
  });

  it('learningRate accepts finite values ≥ 0 (schedules reach 0) and rejects the rest', () => {
    const optimizer = createOptimizer({ type: 'sgd', lr: 0.1 }, parameters);
    optimizer.learningRate = 0;
    expect(optimizer.learningRate).toBe(0);
    expect(() => (optimizer.learningRate = -0.1)).toThrow(ConfigError);
    expect(() => (optimizer.learningRate = Number.POSITIVE_INFINITY)).toThrow(/learningRate must be a finite number ≥ 0, got Infinity/);
  });
});

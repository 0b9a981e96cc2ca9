import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend/backend.js';
import { createJsBackend } from '../backend/index.js';
import { ConfigError } from '../errors.js';
import type { Parameter } from '../parameter.js';
import { Tensor } from '../tensor.js';
import { clipGradientNorm, globalGradientNorm } from './clip.js';

function withGradient(name: string, grad: number[]): Parameter {
  return { name, value: new Tensor([grad.length]), grad: new Tensor([grad.length], Float32Array.from(grad)) };
}

describe('clipGradientNorm', () => {
  it('scales all gradients together to the max norm and returns the norm before clipping', () => {
    // Global norm of (3, 4) and (12) is √(9 + 16 + 144) = 13; clipped to 6.5 → factor 6.5/(13 + 1e-6) ≈ ½.
    const parameters = [withGradient('a', [3, 4]), withGradient('b', [12])];
    expect(clipGradientNorm(parameters, 6.5, createJsBackend())).toBe(13);
    const factor = 6.5 / (13 + 1e-6);
    expect(parameters[0].grad.data).toEqual(Float32Array.of(3 * factor, 4 * factor));
    expect(parameters[1].grad.data).toEqual(Float32Array.of(12 * factor));
    expect(globalGradientNorm(parameters)).toBeCloseTo(6.5, 5);
  });

  it('leaves gradients within the norm untouched', () => {
    const parameters = [withGradient('a', [3, 4])];
    expect(clipGradientNorm(parameters, 5.5)).toBe(5);
    expect(parameters[0].grad.data).toEqual(Float32Array.of(3, 4));
    expect(clipGradientNorm([withGradient('zero', [0, 0])], 1)).toBe(0);
  });

  it('goes through the backend: one sumOfSquares and one scale per parameter', () => {
    const js = createJsBackend();
    const calls: string[] = [];
    const spy: Backend = {
      ...js,
      sumOfSquares(x, n) {
        calls.push(`sumOfSquares ${n}`);
        return js.sumOfSquares(x, n);
      },
      scale(x, n, s) {
        calls.push(`scale ${n}`);
        js.scale(x, n, s);
      },
    };
    clipGradientNorm([withGradient('a', [30, 40]), withGradient('b', [1])], 1, spy);
    expect(calls).toEqual(['sumOfSquares 2', 'sumOfSquares 1', 'scale 2', 'scale 1']);
  });

  it('returns a non-finite norm without touching the gradients, so the caller can stop', () => {
    const parameters = [withGradient('a', [Number.NaN, 1]), withGradient('b', [2])];
    expect(clipGradientNorm(parameters, 1)).toBeNaN();
    expect(parameters[1].grad.data[0]).toBe(2);
    expect(clipGradientNorm([withGradient('c', [Number.POSITIVE_INFINITY])], 1)).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects a max norm that is not a finite number > 0', () => {
    expect(() => clipGradientNorm([withGradient('a', [1])], 0)).toThrow(ConfigError);
    expect(() => clipGradientNorm([withGradient('a', [1])], Number.NaN)).toThrow(/maxNorm must be a finite number > 0, got NaN/);
  });
});

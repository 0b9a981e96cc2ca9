import { describe, expect, it } from 'vitest';
import { ConfigError, ErrorCode } from './errors.js';
import { Rng } from './random.js';

describe('Rng', () => {
  it('is reproducible from a seed and from a saved state (including a pending normal sample)', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    expect(Array.from({ length: 5 }, () => a.nextUint32())).toEqual(Array.from({ length: 5 }, () => b.nextUint32()));
    a.normal(); // leaves a spare Box–Muller sample behind
    const saved = JSON.parse(JSON.stringify(a.getState()));
    const restored = new Rng(0);
    restored.setState(saved);
    expect([restored.normal(), restored.uniform()]).toEqual([a.normal(), a.uniform()]);
  });

  it('draws uniform values in [0, 1) with the right mean, and normals with mean 0 and variance 1', () => {
    const rng = new Rng(7);
    const n = 20_000;
    let sum = 0;
    let sumNormal = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      const z = rng.normal();
      sumNormal += z;
      sumSquares += z * z;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sumNormal / n).toBeCloseTo(0, 1);
    expect(sumSquares / n).toBeCloseTo(1, 1);
  });

  it('rejects a corrupt state with a typed error instead of a RangeError', () => {
    const rng = new Rng(1);
    for (const bad of [[1, 2, 3], [1, 2, 3, -4, 0], [1.5, 2, 3, 4, 0], [0, 0, 0, 0, null], [1, 2, 3, 2 ** 32, 0], [1, 2, 3, 4, 'x']]) {
      let error: unknown;
      try {
        rng.setState(bad as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).code).toBe(ErrorCode.INVALID_STATE);
    }
  });
});

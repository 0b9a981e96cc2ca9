import { expect } from 'vitest';
import type { Backend } from '../../src/backend/backend.js';
import { firstMismatch } from '../../src/backend/wasm/compare-buffers.js';

/**
 * Deterministic values in [lo, hi) from a tiny LCG: a failing property case reproduces from
 * fast-check's seed.
 */
export function random(seed: number, n: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((s >>> 8) / 16777216) * (hi - lo);
  }
  return out;
}

/** A copy of `data` placed where the kernel will find it: in the backend's memory, or a plain array. */
export function place(backend: Backend, data: Float32Array, inBackend: boolean): Float32Array {
  if (!inBackend) return data.slice();
  const buffer = backend.allocate(data.length);
  buffer.set(data);
  return buffer;
}

/** Expects no entry of `actual` further from `expected` than atol + rtol·|expected|; prints the first one that is. */
export function check(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>, atol = 0, rtol = 0): void {
  const mismatch = firstMismatch(label, actual, expected, atol, rtol);
  expect(mismatch, mismatch ?? '').toBeNull();
}

/**
 * Seeded pseudo-random numbers: xoshiro128** seeded through splitmix32. The same seed gives the
 * same stream on every platform, and the whole state can be saved and restored (for exact resume).
 */
import { ConfigError, ErrorCode } from './errors.js';

export type RngState = readonly number[];

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  /** A second normal sample left over from the last Box–Muller pair, or NaN. */
  private spareNormal = Number.NaN;

  constructor(seed = 0) {
    this.reseed(seed);
  }

  /** A derived, independent generator, e.g. `rng.fork(epoch)` for a per-epoch shuffle. */
  static derive(seed: number, ...stream: number[]): Rng {
    return new Rng(Rng.deriveSeed(seed, ...stream));
  }

  /** The seed `derive` starts from: `new Rng(Rng.deriveSeed(s, a, b))` is `Rng.derive(s, a, b)`. */
  static deriveSeed(seed: number, ...stream: number[]): number {
    let h = seed >>> 0;
    for (const s of stream) h = (Math.imul(h ^ (s >>> 0), 0x9e3779b1) + 0x7f4a7c15) >>> 0;
    return h;
  }

  /** Restarts this generator as `new Rng(seed)` would, without allocating one (hot loops). */
  reseed(seed: number): this {
    const next = splitmix32(seed);
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    this.spareNormal = Number.NaN;
    return this;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of randomness. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal sample (Box–Muller). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const spare = this.spareNormal;
      this.spareNormal = Number.NaN;
      return spare;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: any }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  getState(): RngState {
    return [this.s0, this.s1, this.s2, this.s3, this.spareNormal];
  }

  /**
   * Restores a state from `getState()`.
   * @throws ConfigError INVALID_STATE unless it is four uint32 words, not all zero (a stuck
   * generator), followed by a number, NaN or null.
   */
  setState(state: RngState): void {
    const words = Array.isArray(state) ? state.slice(0, 4) : [];
    const spare = Array.isArray(state) ? state[4] : undefined;
    if (
      state?.length !== 5 ||
      words.some((x) => !Number.isInteger(x) || x < 0 || x > 0xffffffff) ||
      words.every((x) => x === 0) ||
      !(spare === null || typeof spare === 'number')
    ) {
      throw new ConfigError(
        ErrorCode.INVALID_STATE,
        'Rng.setState: expected [s0, s1, s2, s3, spareNormal] with four uint32 words (not all zero) as saved by getState(); the saved state is corrupt',
      );
    }
    [this.s0, this.s1, this.s2, this.s3] = state as number[];
    this.spareNormal = state[4] ?? Number.NaN;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

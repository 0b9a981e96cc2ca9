import { Rng } from '../random.js';

/**
 * The training examples `--train-limit n` keeps (both front ends): a seeded random subset of n
 * indices in ascending order, since the first n could all be one class when a set is sorted.
 * Null when the limit keeps everything.
 */
export function trainLimitIndices(size: number, limit: number | undefined, seed: number): Int32Array | null {
  if (!limit || limit >= size) return null;
  const order = new Rng(seed).shuffle(Int32Array.from({ length: size }, (_, i) => i));
  return order.slice(0, limit).sort();
}

/** max |actual − expected| over max |expected|: one figure for how far a whole buffer is from a reference. */
export function arrayError(actual: ArrayLike<number>, expected: readonly number[]): number {
  let worst = 0;
  let scale = 1e-12;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return worst / scale;
}

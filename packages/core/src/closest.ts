/** Edit distance (insertions, deletions, substitutions), for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return prev[b.length];
}

/** The valid value nearest to `input` (case-insensitive edit distance; ties keep list order). */
export function closest(input: string, valid: readonly string[]): string {
  const lower = input.toLowerCase();
  let best = valid[0];
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of valid) {
    const d = candidate.toLowerCase().startsWith(lower) && lower.length > 0 ? 0.5 : editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

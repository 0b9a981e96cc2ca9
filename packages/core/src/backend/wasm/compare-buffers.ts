/**
 * Test helper: the first index where `actual` and `expected` differ by more than
 * `atol + rtol·|expected|`, formatted for an assertion message, or null when all agree.
 * (Kept out of *.test.ts so several test files share it; not exported from the package.)
 */
export function firstMismatch(
  label: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol: number,
  rtol: number,
): string | null {
  if (actual.length !== expected.length) return `${label}: length ${actual.length} ≠ ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const ok = a === e || Math.abs(a - e) <= atol + rtol * Math.abs(e) || (Number.isNaN(a) && Number.isNaN(e));
    if (!ok) return `${label}: first mismatch at index ${i}: wasm ${a} vs js ${e} (|Δ| ${Math.abs(a - e)}, allowed ${atol + rtol * Math.abs(e)})`;
  }
  return null;
}

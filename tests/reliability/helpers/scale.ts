/**
 * Loop sizes for the reliability suite. CI runs the short versions; `RELIABILITY_FULL=1`
 * (scripts/reliability-full.mjs) runs the long ones; a specific env var overrides either.
 */
export const FULL = process.env.RELIABILITY_FULL === '1';

/** `ci` normally, `full` under RELIABILITY_FULL=1, or the integer in env var `name` when set. */
export function scaled(name: string, ci: number, full: number): number {
  const raw = process.env[name];
  if (raw !== undefined && raw !== '') {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1, got ${raw}`);
    return value;
  }
  return FULL ? full : ci;
}

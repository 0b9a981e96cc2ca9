import { closest } from '../closest.js';
import { ConfigError, ErrorCode } from '../errors.js';

/**
 * Readers for one setting typed as text (a CLI flag, a `--config` value, a field of the desktop's
 * Train form). Each throws ConfigError INVALID_ARGUMENT with a one-line message that names the
 * flag and the value to try, so `--optimizer adma` says "did you mean adam". The CLI reports it as
 * a bad flag (exit 2); the desktop shows it next to the field.
 */
function bad(message: string): ConfigError {
  return new ConfigError(ErrorCode.INVALID_ARGUMENT, message);
}

export function parseChoice<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  const lower = value.toLowerCase();
  const exact = choices.find((c) => c.toLowerCase() === lower);
  if (exact) return exact;
  throw bad(`${flag}: unknown value '${value}'; did you mean '${closest(value, choices)}'? (valid: ${choices.join(', ')})`);
}

export function parsePositiveNumber(flag: string, value: string, example: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw bad(`${flag}: '${value}' is not a positive number; try ${flag} ${example}`);
  return n;
}

export function parsePositiveInteger(flag: string, value: string, example: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n <= 0) {
    const nearest = Number.isFinite(n) && n > 0 ? Math.min(max, Math.max(1, Math.round(n))) : example;
    throw bad(`${flag}: '${value}' is not a whole number ≥ 1; try ${flag} ${nearest}`);
  }
  if (n > max) throw bad(`${flag}: ${value} is more than the ${max.toLocaleString('en-US')} allowed; try ${flag} ${Math.min(max, example)}`);
  return n;
}

export function parseNonNegativeInteger(flag: string, value: string, example: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) {
    const nearest = Number.isFinite(n) && n >= 0 ? Math.min(max, Math.round(n)) : example;
    throw bad(`${flag}: '${value}' is not a whole number ≥ 0; try ${flag} ${nearest}`);
  }
  // Above the cap (2^53 by default) distinct inputs would silently become one value.
  if (n > max) throw bad(`${flag}: ${value} is more than the ${max.toLocaleString('en-US')} allowed; try ${flag} ${Math.min(max, example)}`);
  return n;
}

/** Largest seed: core's RNGs take 32 bits of it (`seed >>> 0`), so larger seeds would repeat smaller ones. */
export const MAX_SEED = 2 ** 32 - 1;

export function parseSeed(flag: string, value: string): number {
  return parseNonNegativeInteger(flag, value, 1, MAX_SEED);
}

/** A fraction in [0, max): validation split, dropout rate, momentum. */
export function parseFraction(flag: string, value: string, max: number, example: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n >= max) {
    const nearest = Number.isFinite(n) ? Math.min(Math.max(n, 0), Number((max * 0.9).toFixed(2))) : example;
    throw bad(`${flag}: '${value}' must be at least 0 and below ${max}; try ${flag} ${nearest}`);
  }
  return n;
}

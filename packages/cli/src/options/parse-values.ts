import * as core from '@scratchnet/core';
import { badFlag } from '../errors/cli-error.js';

/**
 * Value parsers for flags: core's one definition of each rule (core/src/run/setting-values.ts,
 * which the desktop's Train form uses too), raised as a BAD_FLAG error (exit 2) whose one-line
 * message names the flag and the closest valid value, so `--optimizer adma` says "did you mean adam".
 */
export function asFlagError<A extends unknown[], R>(read: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    try {
      return read(...args);
    } catch (error) {
      if (error instanceof core.ConfigError) throw badFlag(error.message);
      throw error;
    }
  };
}

export const parseChoice: <T extends string>(flag: string, value: string, choices: readonly T[]) => T = asFlagError(core.parseChoice) as never;
export const parsePositiveNumber = asFlagError(core.parsePositiveNumber);
export const parsePositiveInteger = asFlagError(core.parsePositiveInteger);
export const parseNonNegativeInteger = asFlagError(core.parseNonNegativeInteger);
export const parseSeed = asFlagError(core.parseSeed);
export const parseFraction = asFlagError(core.parseFraction);
export const MAX_SEED = core.MAX_SEED;

/** Commas-separated list, e.g. "0.01,0.001" → numbers. */
export function parseList<T>(flag: string, value: string, item: (flag: string, v: string) => T): T[] {
  const parts = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) throw badFlag(`${flag}: expected a comma-separated list, got '${value}'`);
  return parts.map((p) => item(flag, p));
}

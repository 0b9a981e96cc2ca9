import { ScratchnetError } from '@scratchnet/core';

/** What one hostile input did. */
export type CaseOutcome = { kind: 'accepted' } | { kind: 'rejected'; code: string };

/** Figures gathered over a whole fuzz run, printed and checked by the tests. */
export class FuzzTally {
  cases = 0;
  accepted = 0;
  readonly codes = new Map<string, number>();
  maxCaseMs = 0;
  /** Largest growth of `process.memoryUsage().arrayBuffers` across one case, in bytes. */
  maxArrayBufferGrowth = 0;
  /** Largest growth beyond what the case was allowed (should stay ≤ 0). */
  worstOverCap = Number.NEGATIVE_INFINITY;

  summary(): Record<string, unknown> {
    return {
      cases: this.cases,
      accepted: this.accepted,
      rejectedByCode: Object.fromEntries([...this.codes].sort()),
      maxCaseMs: Math.round(this.maxCaseMs * 10) / 10,
      maxArrayBufferGrowthKiB: Math.round(this.maxArrayBufferGrowth / 1024),
    };
  }
}

/**
 * Runs one hostile case: it must either succeed or throw a ScratchnetError subclass with a code
 * and a message; any other exception is re-thrown (so fast-check reports and shrinks it). Also
 * measures wall time, and ArrayBuffer growth while the result is still referenced, against
 * `capBytes`. A promise that never settles fails after `hangMs`.
 */
export async function runHostileCase(
  tally: FuzzTally,
  capBytes: number,
  hangMs: number,
  run: () => unknown | Promise<unknown>,
): Promise<CaseOutcome> {
  const before = process.memoryUsage().arrayBuffers;
  const started = performance.now();
  let outcome: CaseOutcome;
  let result: unknown;
  try {
    result = await withHangGuard(run, hangMs);
    outcome = { kind: 'accepted' };
  } catch (error) {
    if (!(error instanceof ScratchnetError)) {
      throw new Error(`untyped rejection (${(error as Error)?.name}): ${(error as Error)?.message ?? String(error)}`, { cause: error });
    }
    if (typeof error.code !== 'string' || error.code.length === 0 || error.message.length < 10) {
      throw new Error(`typed error without a usable code/message: ${error.name} ${error.code} ${error.message}`);
    }
    outcome = { kind: 'rejected', code: `${error.name}:${error.code}` };
  }
  const elapsed = performance.now() - started;
  const growth = process.memoryUsage().arrayBuffers - before;
  void result; // held until after the measurement so its buffers count
  tally.cases++;
  if (outcome.kind === 'accepted') tally.accepted++;
  else tally.codes.set(outcome.code, (tally.codes.get(outcome.code) ?? 0) + 1);
  tally.maxCaseMs = Math.max(tally.maxCaseMs, elapsed);
  tally.maxArrayBufferGrowth = Math.max(tally.maxArrayBufferGrowth, growth);
  tally.worstOverCap = Math.max(tally.worstOverCap, growth - capBytes);
  if (growth > capBytes) throw new Error(`case grew ArrayBuffers by ${growth} bytes, over its ${capBytes}-byte cap`);
  return outcome;
}

function withHangGuard<T>(run: () => T | Promise<T>, hangMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`case did not settle within ${hangMs} ms (hang)`)), hangMs);
    Promise.resolve()
      .then(run)
      .then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error) => {
          clearTimeout(timer);
          reject(error);
        },
      );
  });
}

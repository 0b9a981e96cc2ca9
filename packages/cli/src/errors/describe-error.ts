import { EXIT, errorEntry, qualifiedErrorCode } from '@scratchnet/core';

/**
 * The one place that turns any thrown error into what the user sees and the exit status.
 * Library errors are looked up in core's ERROR_TABLE by `namespace/code` (never by class name):
 * 2 for a bad flag or value, 1 for a file, model or data problem, 128 + the signal number for a
 * run stopped by a signal (SIGHUP 129, SIGINT 130, SIGTERM 143).
 */
export interface ErrorReport {
  /** `namespace/CODE` from the error table; `cli/INTERNAL` for a bug, `system/<errno>` for an OS error. */
  code: string;
  exitCode: number;
  /** First line: what is wrong. */
  message: string;
  /** Optional second line: what to do about it. */
  hint?: string;
}

/** Exit status of a run that a signal stopped after saving: the shell's convention, 128 + signal number. */
export const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

const SYSTEM_CODES = new Set(['ENOENT', 'EACCES', 'EISDIR', 'ENOSPC', 'EPERM', 'EROFS']);

export function describeError(error: unknown): ErrorReport {
  const message = error instanceof Error ? error.message : String(error);
  const entry = errorEntry(error);
  if (entry) return { code: entry.code, exitCode: entry.exitCode, message, ...(entry.hint ? { hint: entry.hint } : {}) };
  // A scratchnet error whose code is not in the table (e.g. rebuilt from a worker): a plain failure.
  const code = qualifiedErrorCode(error);
  if (code) return { code, exitCode: EXIT.FAILURE, message };
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof errno === 'string' && SYSTEM_CODES.has(errno)) return { code: `system/${errno}`, exitCode: EXIT.FAILURE, message };
  return { code: 'cli/INTERNAL', exitCode: EXIT.FAILURE, message: `internal error: ${message}`, hint: 'run again with --debug for the stack trace, and report it' };
}

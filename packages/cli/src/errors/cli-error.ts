import { ScratchnetError } from '@scratchnet/core';

/** Codes for problems the CLI itself detects (bad flags, files it cannot read). */
export const CliErrorCode = {
  /** A flag or argument with a value the command cannot use. */
  BAD_FLAG: 'BAD_FLAG',
  MODEL_NOT_FOUND: 'MODEL_NOT_FOUND',
  MODEL_CORRUPT: 'MODEL_CORRUPT',
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
  BAD_IMAGE: 'BAD_IMAGE',
  BAD_CONFIG_FILE: 'BAD_CONFIG_FILE',
  /** `--out` names a place a checkpoint cannot be written to. */
  OUT_NOT_WRITABLE: 'OUT_NOT_WRITABLE',
  INTERRUPTED: 'INTERRUPTED',
} as const;
export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];

/** An error raised by a CLI command; `cli.ts` maps its code to an exit status. */
export class CliError extends ScratchnetError {
  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'CliError';
  }
}

/** Shorthand for the commonest case: a flag with an unusable value (exit 2). */
export function badFlag(message: string): CliError {
  return new CliError(CliErrorCode.BAD_FLAG, message);
}

import { ScratchnetError } from '@scratchnet/core';

/** Codes for problems the CLI itself detects (bad flags, files it cannot read). */
export const CliErrorCode = {
  /** A flag or argument with a value the command cannot use. */
  BAD_FLAG: 'BAD_FLAG',
  MODEL_NOT_FOUND: 'MODEL_NOT_FOUND',
  MODEL_CORRUPT: 'MODEL_CORRUPT',
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
  /** A path that exists but is a FIFO, device, socket or folder where a regular file is needed. */
  NOT_A_FILE: 'NOT_A_FILE',
  /** A file over the size the CLI reads (e.g. a --config over 1 MB). */
  FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  BAD_IMAGE: 'BAD_IMAGE',
  /** A valid model that this command cannot use (predict: an input that is not a square image). */
  UNSUPPORTED_MODEL: 'UNSUPPORTED_MODEL',
  BAD_CONFIG_FILE: 'BAD_CONFIG_FILE',
  /** `--out` names a place a checkpoint cannot be written to. */
  OUT_NOT_WRITABLE: 'OUT_NOT_WRITABLE',
  /** Another live `train` holds the lock on the same --out. */
  OUT_LOCKED: 'OUT_LOCKED',
  /** The settings recorded in a checkpoint given to --resume fail the checks flags pass. */
  BAD_RESUME_SETTINGS: 'BAD_RESUME_SETTINGS',
  INTERRUPTED: 'INTERRUPTED',
  /** `--queue` is not a redis:// or rediss:// URL with a host, port and database number. */
  BAD_QUEUE_URL: 'BAD_QUEUE_URL',
  /** The Redis server named by `--queue` cannot be reached. */
  QUEUE_UNREACHABLE: 'QUEUE_UNREACHABLE',
} as const;
export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];

/** An error raised by a CLI command; `cli.ts` maps its code to an exit status. */
export class CliError extends ScratchnetError {
  override readonly namespace = 'cli';
  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'CliError';
  }
}

/** Shorthand for the commonest case: a flag with an unusable value (exit 2). */
export function badFlag(message: string): CliError {
  return new CliError(CliErrorCode.BAD_FLAG, message);
}

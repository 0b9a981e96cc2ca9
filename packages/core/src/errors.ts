/**
 * Every error scratchnet throws is a ScratchnetError with a stable `code` from this table,
 * so callers (the CLI, the desktop app) can map codes to messages and exit codes in one place.
 */
export const ErrorCode = {
  SHAPE_MISMATCH: 'SHAPE_MISMATCH',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  INVALID_ARCHITECTURE: 'INVALID_ARCHITECTURE',
  UNKNOWN_ACTIVATION: 'UNKNOWN_ACTIVATION',
  NON_FINITE_LOSS: 'NON_FINITE_LOSS',
  INVALID_STATE: 'INVALID_STATE',
  BACKEND_UNAVAILABLE: 'BACKEND_UNAVAILABLE',
  ABORTED: 'ABORTED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Which package's code table a {@link ScratchnetError}'s `code` comes from; see error-table.ts. */
export type ErrorNamespace = 'core' | 'dataset' | 'format' | 'cli' | 'desktop';

export class ScratchnetError extends Error {
  readonly code: string;
  /** The package whose code table `code` belongs to: codes repeat across packages, `namespace/code` does not. */
  readonly namespace: ErrorNamespace = 'core';
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScratchnetError';
    this.code = code;
  }
}

/** Two shapes that do not fit together; the message names the operation and both shapes. */
export class ShapeError extends ScratchnetError {
  constructor(op: string, message: string) {
    super(ErrorCode.SHAPE_MISMATCH, `${op}: ${message}`);
    this.name = 'ShapeError';
  }
}

/** A bad argument, option or configuration value supplied by the caller. */
export class ConfigError extends ScratchnetError {
  constructor(code: ErrorCode, message: string) {
    super(code, message);
    this.name = 'ConfigError';
  }
}

/** Training could not go on: a NaN/Inf loss, or it was aborted. */
export class TrainingError extends ScratchnetError {
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'TrainingError';
  }
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

import { ScratchnetError } from '@scratchnet/core';

/** Codes for failures the desktop app itself reports (file dialogs, IPC, the web bridge). */
export const DesktopErrorCode = {
  /** IPC arguments failed validation. */
  INVALID_REQUEST: 'INVALID_REQUEST',
  /** An IPC message came from a frame that is not the app's own page. */
  UNTRUSTED_SENDER: 'UNTRUSTED_SENDER',
  /** A file could not be read or written. */
  FILE_ACCESS: 'FILE_ACCESS',
  /** A file is not a valid checkpoint or IDX data set. */
  INVALID_FILE: 'INVALID_FILE',
  /** Checking a file took longer than its time limit; the check was stopped. */
  VALIDATION_TIMEOUT: 'VALIDATION_TIMEOUT',
  /** Checking a file needed more memory than its limit; the check was stopped. */
  VALIDATION_OUT_OF_MEMORY: 'VALIDATION_OUT_OF_MEMORY',
  /** The host cannot do this (e.g. downloading MNIST from a web page). */
  UNSUPPORTED: 'UNSUPPORTED',
  /** A data set could not be downloaded or loaded. */
  DATASET_UNAVAILABLE: 'DATASET_UNAVAILABLE',
  /** Anything unexpected; the message carries the detail. */
  INTERNAL: 'INTERNAL',
} as const;
export type DesktopErrorCode = (typeof DesktopErrorCode)[keyof typeof DesktopErrorCode];

/** An error raised by the desktop app's host side or bridge; `code` survives the IPC hop. */
export class DesktopError extends ScratchnetError {
  override readonly namespace = 'desktop';
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'DesktopError';
  }
}

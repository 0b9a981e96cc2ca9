import { ConfigError, ErrorCode, ScratchnetError } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { CliError, CliErrorCode } from './cli-error.js';
import { SIGNAL_EXIT_CODES, describeError } from './describe-error.js';

/** Library errors are matched by class name and code, as they arrive from other packages. */
function libraryError(name: string, code: string, message: string): ScratchnetError {
  const error = new ScratchnetError(code, message);
  error.name = name;
  return error;
}

describe('describeError', () => {
  it('maps bad flags to exit 2 and file problems to exit 1 with what to do', () => {
    expect(describeError(new CliError(CliErrorCode.BAD_FLAG, 'x')).exitCode).toBe(2);
    expect(describeError(new ConfigError(ErrorCode.INVALID_ARCHITECTURE, 'bad arch')).exitCode).toBe(2);
    const missing = describeError(new CliError(CliErrorCode.MODEL_NOT_FOUND, "model file 'a' does not exist"));
    expect(missing).toMatchObject({ exitCode: 1, hint: expect.stringContaining('scratchnet-cli train') });
    const corrupt = describeError(libraryError('FormatError', 'CHECKSUM_MISMATCH', 'damaged'));
    expect(corrupt).toMatchObject({ exitCode: 1, hint: expect.stringContaining('damaged or not a scratchnet checkpoint') });
    expect(describeError(libraryError('DatasetError', 'UNKNOWN_DATASET', 'unknown')).exitCode).toBe(2);
    expect(describeError(libraryError('TrainingError', 'ABORTED', 'stop')).exitCode).toBe(130);
  });

  it('maps the writer and input refusals to exit 1 with what to do, and signals to 128 + their number', () => {
    for (const code of [CliErrorCode.OUT_LOCKED, CliErrorCode.NOT_A_FILE, CliErrorCode.FILE_TOO_LARGE, CliErrorCode.BAD_RESUME_SETTINGS, CliErrorCode.UNSUPPORTED_MODEL]) {
      expect(describeError(new CliError(code, 'x')), code).toMatchObject({ exitCode: 1, hint: expect.any(String) });
    }
    expect(SIGNAL_EXIT_CODES).toEqual({ SIGHUP: 129, SIGINT: 130, SIGTERM: 143 });
  });

  it('calls anything unknown an internal error and points at --debug', () => {
    const report = describeError(new TypeError('x is undefined'));
    expect(report).toEqual({ exitCode: 1, message: 'internal error: x is undefined', hint: expect.stringContaining('--debug') });
  });
});

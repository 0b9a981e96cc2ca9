import { ConfigError, ErrorCode, ScratchnetError, ShapeError, TrainingAbortedError, TrainingError } from '@scratchnet/core';
import { DatasetError } from '@scratchnet/datasets';
import { FormatError } from '@scratchnet/model-format';
import { describe, expect, it } from 'vitest';
import { CliError, CliErrorCode } from './cli-error.js';
import { SIGNAL_EXIT_CODES, describeError } from './describe-error.js';

describe('describeError', () => {
  it('maps bad flags to exit 2 and file problems to exit 1 with what to do, by namespaced code', () => {
    expect(describeError(new CliError(CliErrorCode.BAD_FLAG, 'x'))).toMatchObject({ code: 'cli/BAD_FLAG', exitCode: 2 });
    expect(describeError(new ConfigError(ErrorCode.INVALID_ARCHITECTURE, 'bad arch'))).toMatchObject({ code: 'core/INVALID_ARCHITECTURE', exitCode: 2 });
    const missing = describeError(new CliError(CliErrorCode.MODEL_NOT_FOUND, "model file 'a' does not exist"));
    expect(missing).toMatchObject({ exitCode: 1, hint: expect.stringContaining('scratchnet-cli train') });
    const corrupt = describeError(new FormatError('CHECKSUM_MISMATCH', 'damaged'));
    expect(corrupt).toMatchObject({ code: 'format/CHECKSUM_MISMATCH', exitCode: 1, hint: expect.stringContaining('damaged or not a scratchnet checkpoint') });
    expect(describeError(new DatasetError('UNKNOWN_DATASET', 'unknown')).exitCode).toBe(2);
    expect(describeError(new TrainingError(ErrorCode.ABORTED, 'stop')).exitCode).toBe(130);
    expect(describeError(new ShapeError('dense', 'bad')).code).toBe('core/SHAPE_MISMATCH');
  });

  it('tells apart the same code from two packages', () => {
    const data = describeError(new DatasetError('CHECKSUM_MISMATCH', 'x'));
    const checkpoint = describeError(new FormatError('CHECKSUM_MISMATCH', 'x'));
    expect(data.code).toBe('dataset/CHECKSUM_MISMATCH');
    expect(checkpoint.code).toBe('format/CHECKSUM_MISMATCH');
    expect(data.hint).not.toBe(checkpoint.hint);
  });

  it('maps a TrainingAbortedError (a subclass) to exit 130, not an internal error', () => {
    const state = { epoch: 1, batch: 3 } as ConstructorParameters<typeof TrainingAbortedError>[0];
    expect(describeError(new TrainingAbortedError(state))).toMatchObject({ code: 'core/ABORTED', exitCode: 130 });
  });

  it('does not go by class name: a renamed error keeps its code, a look-alike name gains nothing', () => {
    const renamed = new DatasetError('NOT_AVAILABLE', 'x');
    renamed.name = 'Whatever';
    expect(describeError(renamed)).toMatchObject({ code: 'dataset/NOT_AVAILABLE', exitCode: 1 });
    const lookAlike = new Error('x');
    lookAlike.name = 'ConfigError';
    expect(describeError(lookAlike)).toMatchObject({ code: 'cli/INTERNAL', exitCode: 1 });
  });

  it('maps the writer and input refusals to exit 1 with what to do, and signals to 128 + their number', () => {
    for (const code of [CliErrorCode.OUT_LOCKED, CliErrorCode.NOT_A_FILE, CliErrorCode.FILE_TOO_LARGE, CliErrorCode.BAD_RESUME_SETTINGS, CliErrorCode.UNSUPPORTED_MODEL]) {
      expect(describeError(new CliError(code, 'x')), code).toMatchObject({ exitCode: 1, hint: expect.any(String) });
    }
    expect(SIGNAL_EXIT_CODES).toEqual({ SIGHUP: 129, SIGINT: 130, SIGTERM: 143 });
  });

  it('reports a scratchnet code missing from the table as a plain failure', () => {
    expect(describeError(new ScratchnetError('TRIAL_FAILED', 'x'))).toEqual({ code: 'core/TRIAL_FAILED', exitCode: 1, message: 'x' });
  });

  it('calls anything unknown an internal error and points at --debug', () => {
    const report = describeError(new TypeError('x is undefined'));
    expect(report).toEqual({ code: 'cli/INTERNAL', exitCode: 1, message: 'internal error: x is undefined', hint: expect.stringContaining('--debug') });
  });
});

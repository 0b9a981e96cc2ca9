import { describe, expect, it } from 'vitest';
import { ERROR_TABLE, errorEntry, qualifiedErrorCode } from './error-table.js';
import { ConfigError, ErrorCode, ScratchnetError, ShapeError } from './errors.js';
import { TrainingAbortedError } from './train/training-aborted-error.js';

describe('ERROR_TABLE', () => {
  it('has an entry for every core code', () => {
    for (const code of Object.values(ErrorCode)) expect(ERROR_TABLE[`core/${code}`], code).toBeDefined();
  });

  it('finds an error by namespace and code, whatever its class is called', () => {
    const aborted = new TrainingAbortedError({ epoch: 0, batch: 1 } as never);
    expect(errorEntry(aborted)).toEqual({ code: 'core/ABORTED', exitCode: 130 });
    expect(errorEntry(new ConfigError(ErrorCode.INVALID_ARCHITECTURE, 'x'))).toMatchObject({ code: 'core/INVALID_ARCHITECTURE', exitCode: 2 });
    expect(qualifiedErrorCode(new ShapeError('dense', 'x'))).toBe('core/SHAPE_MISMATCH');
  });

  it('leaves alone what is not a scratchnet error or has no entry', () => {
    expect(qualifiedErrorCode(new TypeError('x'))).toBeUndefined();
    expect(qualifiedErrorCode(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBeUndefined();
    expect(errorEntry(new ScratchnetError('NOT_A_CODE', 'x'))).toBeUndefined();
    expect(errorEntry(null)).toBeUndefined();
  });
});

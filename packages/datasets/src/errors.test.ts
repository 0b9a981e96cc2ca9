import { ScratchnetError } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { DatasetError, DatasetErrorCode, isDatasetError } from './errors.js';

describe('DatasetError', () => {
  it('is a ScratchnetError with a code from the table, the file and the cause', () => {
    const cause = new Error('ECONNRESET');
    const error = new DatasetError(DatasetErrorCode.DOWNLOAD_FAILED, 'could not download x.gz', { file: 'x.gz', cause });
    expect(error).toBeInstanceOf(ScratchnetError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'DatasetError', code: 'DOWNLOAD_FAILED', file: 'x.gz', message: 'could not download x.gz', cause });
    expect(isDatasetError(error)).toBe(true);
    expect(isDatasetError(error, DatasetErrorCode.TIMEOUT)).toBe(false);
    expect(isDatasetError(cause)).toBe(false);
    // Every code maps to itself, so the CLI can switch on the string.
    for (const [key, value] of Object.entries(DatasetErrorCode)) expect(key).toBe(value);
  });
});

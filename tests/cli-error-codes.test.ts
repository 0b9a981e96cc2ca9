/**
 * One table of error codes: every code each package declares has an entry in core's
 * ERROR_TABLE under its namespace, and nothing in the table is a code no package declares.
 */
import { ERROR_TABLE, ErrorCode, ScratchnetError, qualifiedErrorCode } from '@scratchnet/core';
import { CliError, CliErrorCode } from '@scratchnet/cli';
import { DatasetError, DatasetErrorCode } from '@scratchnet/datasets';
import { FormatError, FormatErrorCode } from '@scratchnet/model-format';
import { describe, expect, it } from 'vitest';
import { DesktopErrorCode } from '../packages/desktop/src/shared/desktop-error.js';

const PACKAGE_TABLES: Record<string, Record<string, string>> = {
  core: ErrorCode,
  dataset: DatasetErrorCode,
  format: FormatErrorCode,
  cli: CliErrorCode,
  desktop: DesktopErrorCode,
};

describe('the error-code table', () => {
  it('has an entry, with an exit code, for every code every package declares', () => {
    const missing: string[] = [];
    for (const [namespace, codes] of Object.entries(PACKAGE_TABLES)) {
      for (const code of Object.values(codes)) if (!ERROR_TABLE[`${namespace}/${code}`]) missing.push(`${namespace}/${code}`);
    }
    expect(missing).toEqual([]);
    for (const [code, entry] of Object.entries(ERROR_TABLE)) expect([1, 2, 130], code).toContain(entry.exitCode);
  });

  it('holds no code that no package declares', () => {
    const declared = new Set(Object.entries(PACKAGE_TABLES).flatMap(([ns, codes]) => Object.values(codes).map((c) => `${ns}/${c}`)));
    expect(Object.keys(ERROR_TABLE).filter((code) => !declared.has(code))).toEqual([]);
  });

  it('reads the namespace from each package error class', () => {
    expect(qualifiedErrorCode(new ScratchnetError('ABORTED', 'x'))).toBe('core/ABORTED');
    expect(qualifiedErrorCode(new DatasetError('CHECKSUM_MISMATCH', 'x'))).toBe('dataset/CHECKSUM_MISMATCH');
    expect(qualifiedErrorCode(new FormatError('CHECKSUM_MISMATCH', 'x'))).toBe('format/CHECKSUM_MISMATCH');
    expect(qualifiedErrorCode(new CliError('BAD_FLAG', 'x'))).toBe('cli/BAD_FLAG');
  });
});

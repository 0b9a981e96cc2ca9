import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliErrorCode } from '../errors/cli-error.js';
import { describeError } from '../errors/describe-error.js';
import { checkOutPath } from './check-out-path.js';

describe('checkOutPath', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scratchnet-out-'));
  const report = (out: string) => {
    try {
      checkOutPath(out);
      return null;
    } catch (error) {
      expect((error as { code?: string }).code).toBe(CliErrorCode.OUT_NOT_WRITABLE);
      return describeError(error);
    }
  };

  it('accepts a new or existing file in an existing folder, and creates nothing', () => {
    expect(report(join(dir, 'model.safetensors'))).toBeNull();
    writeFileSync(join(dir, 'old.safetensors'), 'x');
    expect(report(join(dir, 'old.safetensors'))).toBeNull();
    expect(readdirSync(dir)).toEqual(['old.safetensors']);
  });

  it('refuses a missing folder, a folder as the file, and a file as the folder, with exit 1 and a hint', () => {
    expect(report(join(dir, 'no', 'such', 'm.safetensors'))).toEqual({
      code: 'cli/OUT_NOT_WRITABLE',
      exitCode: 1,
      message: `cannot write checkpoint ${join(dir, 'no', 'such', 'm.safetensors')}: the folder ${join(dir, 'no', 'such')} does not exist`,
      hint: 'choose another --out, or create its folder first',
    });
    expect(report(dir)?.message).toMatch(/it is a folder; give a file name such as .*model\.safetensors/);
    expect(report(join(dir, 'old.safetensors', 'm.safetensors'))?.message).toMatch(/old\.safetensors is not a folder/);
  });

  it('refuses to replace a FIFO, and side-file paths that are not regular files', () => {
    const fifo = join(dir, 'pipe.safetensors');
    execFileSync('mkfifo', [fifo]);
    expect(report(fifo)?.message).toMatch(/it is a FIFO \(named pipe\), not a regular file, and is never replaced/);
    expect(statSync(fifo).isFIFO()).toBe(true);
    mkdirSync(join(dir, 'side.metrics.csv'));
    expect(report(join(dir, 'side.safetensors'))?.message).toMatch(/side\.metrics\.csv is a folder, not a regular file/);
  });

  it.skipIf(process.getuid?.() !== 0)('refuses a character device (a /dev/null made in the temp dir), leaving it a device', () => {
    const device = join(dir, 'null.safetensors');
    execFileSync('mknod', [device, 'c', '1', '3']);
    expect(report(device)?.message).toMatch(/character device/);
    expect(statSync(device).isCharacterDevice()).toBe(true);
  });

  it("refuses an empty --out as a bad flag (exit 2) before anything runs", () => {
    expect(() => checkOutPath('')).toThrow(expect.objectContaining({ code: CliErrorCode.BAD_FLAG }));
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRegularFileSync } from './regular-file.js';

describe('readRegularFileSync', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scratchnet-regular-'));

  it('reads a regular file and refuses one over the cap', () => {
    writeFileSync(join(dir, 'a.json'), '{"lr": 0.1}');
    expect(readRegularFileSync(join(dir, 'a.json'), '--config', 100).toString()).toBe('{"lr": 0.1}');
    expect(() => readRegularFileSync(join(dir, 'a.json'), '--config', 5)).toThrow(expect.objectContaining({ code: 'FILE_TOO_LARGE' }));
  });

  it('refuses a FIFO at once instead of blocking, and a folder', () => {
    execFileSync('mkfifo', [join(dir, 'pipe.json')]);
    const started = performance.now();
    expect(() => readRegularFileSync(join(dir, 'pipe.json'), '--config', 100)).toThrow(/a FIFO \(named pipe\), not a regular file/);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(() => readRegularFileSync(dir, '--config', 100)).toThrow(expect.objectContaining({ code: 'NOT_A_FILE' }));
  });

  it.skipIf(process.getuid?.() !== 0)('refuses an endless character device (a /dev/zero made in the temp dir)', () => {
    execFileSync('mknod', [join(dir, 'zero.json'), 'c', '1', '5']);
    expect(() => readRegularFileSync(join(dir, 'zero.json'), '--config', 100)).toThrow(/character device/);
  });
});

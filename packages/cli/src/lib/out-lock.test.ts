import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireOutLock, lockPathFor } from './out-lock.js';

/** The id of a process that has exited (and, this soon after, has not been reused). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('acquireOutLock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scratchnet-lock-'));

  it('takes <out>.lock with our pid, refuses a second taker while held, and releases it', () => {
    const out = join(dir, 'a.safetensors');
    const lock = acquireOutLock(out);
    expect(readFileSync(lockPathFor(out), 'utf8').trim()).toBe(String(process.pid));
    // A second holder in this process has our own pid, which counts as stale; a live other pid does not.
    writeFileSync(lockPathFor(out), `${process.ppid}\n`);
    expect(() => acquireOutLock(out)).toThrow(expect.objectContaining({ code: 'OUT_LOCKED', message: expect.stringContaining(`process ${process.ppid}`) }));
    writeFileSync(lockPathFor(out), `${process.pid}\n`);
    lock.release();
    lock.release();
    expect(existsSync(lockPathFor(out))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('a.'))).toEqual([]);
  });

  it("takes over a stale lock (its process is gone) and never deletes another run's lock on release", () => {
    const out = join(dir, 'b.safetensors');
    writeFileSync(lockPathFor(out), `${deadPid()}\n`);
    const lock = acquireOutLock(out);
    expect(readFileSync(lockPathFor(out), 'utf8').trim()).toBe(String(process.pid));
    writeFileSync(lockPathFor(out), `${process.ppid}\n`); // as if another run had taken it over
    lock.release();
    expect(readFileSync(lockPathFor(out), 'utf8').trim()).toBe(String(process.ppid));
  });

  it('refuses a lock path that is not a lock file', () => {
    const out = join(dir, 'c.safetensors');
    writeFileSync(lockPathFor(out), 'not a pid');
    expect(() => acquireOutLock(out)).toThrow(expect.objectContaining({ code: 'OUT_NOT_WRITABLE', message: expect.stringContaining('is not a lock file') }));
  });
});

import { linkSync, rmSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { CliError, CliErrorCode } from '../errors/cli-error.js';

/** A held lock on one --out path; `release` is idempotent. */
export interface OutLock {
  path: string;
  release(): void;
}

/** The lock file of an --out path. */
export const lockPathFor = (out: string) => `${out}.lock`;

/**
 * Takes `<out>.lock` by exclusive create (a hard link, which fails if the lock exists), holding this process's id, so that two `train` runs
 * writing the same --out cannot both report "saved" while one result is silently lost: the
 * second one stops with OUT_LOCKED before it loads any data.
 *
 * A lock whose process is gone (a run killed with SIGKILL, a power loss) is stale and taken
 * over. The takeover re-checks that the file is still the very one found stale (same inode)
 * right before removing it, so a run that took it over a moment earlier keeps it; two runs
 * started within the same instant over one stale lock remain a (microsecond-wide) race.
 * The lock is also removed when the process exits by `process.exit` (a second Ctrl-C).
 */
export function acquireOutLock(out: string): OutLock {
  const path = lockPathFor(out);
  // The lock appears whole or not at all: written under a private name, then hard-linked to
  // `path` (link fails with EEXIST if the lock exists), so no reader ever sees it half written.
  const draft = `${path}.${process.pid}.tmp`;
  try {
    rmSync(draft, { force: true }); // left by a killed run with our (reused) process id
    writeFileSync(draft, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
  } catch (error) {
    throw new CliError(CliErrorCode.OUT_NOT_WRITABLE, `cannot create the lock file ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(draft, path);
        return holdLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new CliError(CliErrorCode.OUT_NOT_WRITABLE, `cannot create the lock file ${path}: ${(error as Error).message}`, { cause: error });
        }
      }
      const holder = readHolder(path);
      if (holder === 'gone') continue; // released between our link and read: try again
      if (holder === 'not-a-lock') {
        throw new CliError(CliErrorCode.OUT_NOT_WRITABLE, `cannot lock ${out}: ${path} exists and is not a lock file written by scratchnet-cli; remove it or choose another --out`);
      }
      if (processIsRunning(holder.pid)) {
        throw new CliError(
          CliErrorCode.OUT_LOCKED,
          `${out} is being written by another scratchnet-cli train (process ${holder.pid}, lock ${path}); if no such run exists, delete the lock file`,
        );
      }
      // Stale: remove it only if it is still the file we read.
      try {
        if (statSync(path).ino === holder.ino) unlinkSync(path);
      } catch {
        // already gone: retry
      }
    }
  } finally {
    try {
      unlinkSync(draft);
    } catch {
      // nothing to tidy
    }
  }
  throw new CliError(CliErrorCode.OUT_LOCKED, `could not take the lock ${path} for ${out}: other runs keep taking it; choose another --out`);
}

function holdLock(path: string): OutLock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    try {
      // Only our own lock: never delete one another run took over after ours went stale.
      if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return { path, release };
}

/** The process id in a lock file with its inode, 'gone' when it vanished, 'not-a-lock' for anything else. */
function readHolder(path: string): { pid: number; ino: number } | 'gone' | 'not-a-lock' {
  try {
    const stats = statSync(path);
    if (!stats.isFile() || stats.size > 64) return 'not-a-lock';
    const text = readFileSync(path, 'utf8').trim();
    if (!/^\d{1,10}$/.test(text)) return 'not-a-lock';
    return { pid: Number(text), ino: stats.ino };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    return 'not-a-lock';
  }
}

function processIsRunning(pid: number): boolean {
  // Our own id in a lock we did not take: a previous run in a reused pid namespace (containers).
  if (pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

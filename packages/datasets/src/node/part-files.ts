import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Temp files are named `<entry>.<pid>-<random hex>.part` (downloads, imports, writeIdxFile). */
const PART_NAME = /^.+\.(\d+)-[0-9a-f]+\.part$/;

/**
 * Older than this, a `.part` file is stale even if its pid is in use: a live download writes at
 * least once per idle timeout, and after a reboot the pid may belong to another program.
 */
const STALE_PART_MS = 60 * 60 * 1000;

export interface PartFile {
  name: string;
  path: string;
  bytes: number;
  /** Still being written by a running process of this machine (its pid is alive and the file is fresh). */
  live: boolean;
}

/** How many `.part` files a cache folder holds, their total size, and how many are in use. */
export interface PartFilesSummary {
  count: number;
  bytes: number;
  live: number;
}

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The temp files in one cache folder (none when it does not exist). */
export async function listPartFiles(dir: string): Promise<PartFile[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const now = Date.now();
  const parts: PartFile[] = [];
  for (const name of names) {
    const match = PART_NAME.exec(name);
    if (!match) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) continue;
    const live = pidAlive(Number(match[1])) && now - info.mtimeMs <= STALE_PART_MS;
    parts.push({ name, path, bytes: info.size, live });
  }
  return parts;
}

export function summarizeParts(parts: readonly PartFile[]): PartFilesSummary {
  return { count: parts.length, bytes: parts.reduce((n, p) => n + p.bytes, 0), live: parts.filter((p) => p.live).length };
}

/**
 * Removes the `.part` files a killed process left in `dir` (its pid is gone, or the file is over
 * an hour old); files that a running download is still writing stay. Best effort: a file that
 * cannot be removed (a read-only cache) is left for `data list` to show. Returns how many went.
 */
export async function removeDeadPartFiles(dir: string): Promise<number> {
  let removed = 0;
  for (const part of await listPartFiles(dir)) {
    if (part.live) continue;
    if (await rm(part.path, { force: true }).then(() => true, () => false)) removed++;
  }
  return removed;
}

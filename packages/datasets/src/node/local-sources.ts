import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { DatasetFileSpec, DatasetSpec } from '../registry.js';

/** Where distributions install data sets, e.g. Debian's dataset-fashion-mnist package. */
export const SYSTEM_DATA_DIRS: readonly string[] = process.platform === 'win32' ? [] : ['/usr/share/datasets'];

/**
 * The system data dirs to search: `SCRATCHNET_SYSTEM_DATA_DIRS` when set (a list separated like
 * PATH, `:` on POSIX; empty = none), else SYSTEM_DATA_DIRS. Read at each call, so tests and
 * callers can point it elsewhere without re-importing; tests set it to keep results independent
 * of what the machine has installed.
 */
export function systemDataDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const value = env.SCRATCHNET_SYSTEM_DATA_DIRS;
  if (value === undefined) return [...SYSTEM_DATA_DIRS];
  return value.split(delimiter).filter((dir) => dir.trim() !== '');
}

/**
 * The path of a file in `dir`, by its official name or (for an unpacked copy) without `.gz`;
 * undefined when neither exists.
 */
export async function findInDir(dir: string, file: DatasetFileSpec): Promise<string | undefined> {
  const names = [file.fileName, file.fileName.replace(/\.gz$/, '')];
  for (const name of names) {
    const path = join(dir, name);
    if (await exists(path)) return path;
  }
  return undefined;
}

/** Folders under the system data dirs that may hold this data set (e.g. /usr/share/datasets/fashion-mnist). */
export function systemDirsFor(spec: DatasetSpec, roots: readonly string[] = systemDataDirs()): string[] {
  return roots.flatMap((root) => (spec.systemDirNames ?? [spec.name]).map((name) => join(root, name)));
}

export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

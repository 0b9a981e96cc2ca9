import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetFileSpec, DatasetSpec } from '../registry.js';

/** Where distributions install data sets, e.g. Debian's dataset-fashion-mnist package. */
export const SYSTEM_DATA_DIRS: readonly string[] = process.platform === 'win32' ? [] : ['/usr/share/datasets'];

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
export function systemDirsFor(spec: DatasetSpec, roots: readonly string[] = SYSTEM_DATA_DIRS): string[] {
  return roots.flatMap((root) => (spec.systemDirNames ?? [spec.name]).map((name) => join(root, name)));
}

export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

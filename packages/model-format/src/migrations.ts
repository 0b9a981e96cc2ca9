import type { RawTensor } from './dtypes.js';

/** A checkpoint's metadata and tensors as read from the file, before interpretation. */
export interface StoredCheckpoint {
  metadata: Record<string, string>;
  tensors: Map<string, RawTensor>;
}

/**
 * `MIGRATIONS[v]` turns a version-v checkpoint into a version-(v+1) one. Each step is small and
 * only touches what changed in that version, so any old file reaches the current version by
 * running the steps in order. Never edit a step once released; add a new one.
 */
export const MIGRATIONS: Record<number, (stored: StoredCheckpoint) => StoredCheckpoint> = {};

/** Applies the migrations from `fromVersion` up to `toVersion`. */
export function migrate(stored: StoredCheckpoint, fromVersion: number, toVersion: number): StoredCheckpoint {
  let current = stored;
  for (let v = fromVersion; v < toVersion; v++) current = MIGRATIONS[v](current);
  return current;
}

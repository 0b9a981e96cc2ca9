import type { RawTensor } from './dtypes.js';
import { FormatError, FormatErrorCode } from './errors.js';
import { exceedsJsonDepth } from './json-depth.js';

/** A checkpoint's metadata and tensors as read from the file, before interpretation. */
export interface StoredCheckpoint {
  metadata: Record<string, string>;
  tensors: Map<string, RawTensor>;
}

/**
 * v1 → v2: the training history changes from one array per metric
 * (`{"loss": [..], "accuracy": [..]}`) to one row per epoch (`[{"epoch": 0, "loss": …}, …]`, epochs 0-based as core reports them).
 * v1 files have no optimizer or trainer state, so nothing else moves.
 */
function historyColumnsToRows(stored: StoredCheckpoint): StoredCheckpoint {
  const text = stored.metadata.training;
  if (text === undefined) return withVersion(stored, 2);
  let training: unknown;
  try {
    training = JSON.parse(text);
  } catch (cause) {
    throw new FormatError(FormatErrorCode.BAD_METADATA, 'checkpoint metadata "training" is not valid JSON: the file is damaged', { cause });
  }
  // Re-serialising below recurses, so refuse absurd nesting first (no real record exceeds ~5).
  if (exceedsJsonDepth(training, 64)) {
    throw new FormatError(FormatErrorCode.BAD_METADATA, 'checkpoint metadata "training" nests deeper than 64 levels: the file is damaged or hostile');
  }
  const history = (training as { history?: unknown } | null)?.history;
  if (typeof history !== 'object' || history === null || Array.isArray(history)) {
    throw new FormatError(FormatErrorCode.BAD_METADATA, 'format v1 "training.history" must map metric names to arrays: the file is damaged');
  }
  // Cost is linear in the number of stored values, whatever the (untrusted) shape of the columns.
  const rows: Array<Record<string, unknown>> = [];
  for (const [metric, values] of Object.entries(history)) {
    if (!Array.isArray(values) || metric === 'epoch') continue;
    for (let i = 0; i < values.length; i++) {
      rows[i] ??= { epoch: i };
      rows[i][metric] = values[i];
    }
  }
  const migrated = { ...(training as object), history: rows };
  return withVersion({ ...stored, metadata: { ...stored.metadata, training: JSON.stringify(migrated) } }, 2);
}

function withVersion(stored: StoredCheckpoint, version: number): StoredCheckpoint {
  return { ...stored, metadata: { ...stored.metadata, format_version: String(version) } };
}

/**
 * `MIGRATIONS[v]` turns a version-v checkpoint into a version-(v+1) one. Each step is small and
 * only touches what changed in that version, so any old file reaches the current version by
 * running the steps in order. Never edit a step once released; add a new one.
 */
export const MIGRATIONS: Readonly<Record<number, (stored: StoredCheckpoint) => StoredCheckpoint>> = {
  1: historyColumnsToRows,
  // v2 → v3: version 3 only adds layer kinds and buffers; every v2 model is a valid v3 model as it is.
  2: (stored) => withVersion(stored, 3),
};

/** Applies the migrations from `fromVersion` up to `toVersion`. */
export function migrate(stored: StoredCheckpoint, fromVersion: number, toVersion: number): StoredCheckpoint {
  let current = stored;
  for (let v = fromVersion; v < toVersion; v++) current = MIGRATIONS[v](current);
  return current;
}

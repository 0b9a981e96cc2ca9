import type { RawTensor } from './dtypes.js';
import { FormatError, FormatErrorCode } from './errors.js';
import { metadataJson } from './metadata-json.js';
import { checkHistorySize } from './training-record.js';

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
  if (stored.metadata.training === undefined) return withVersion(stored, 2);
  const training = metadataJson(stored.metadata, 'training');
  const history = (training as { history?: unknown } | null)?.history;
  if (typeof history !== 'object' || history === null || Array.isArray(history)) {
    throw new FormatError(FormatErrorCode.BAD_METADATA, 'format v1 "training.history" must map metric names to arrays: the file is damaged');
  }
  // Rows cost far more than the column values they come from (an object per epoch, a property
  // per value), so count first and refuse a history no real run has before building anything.
  const columns = Object.entries(history).filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]) && entry[0] !== 'epoch');
  let epochs = 0;
  let values = 0;
  for (const [, column] of columns) {
    epochs = Math.max(epochs, column.length);
    values += column.length;
  }
  checkHistorySize('format v1 "training.history"', epochs, values);
  const rows: Array<Record<string, unknown>> = Array.from({ length: epochs }, (_, epoch) => ({ epoch }));
  for (const [metric, column] of columns) {
    // defineProperty, not assignment: a "__proto__" metric must stay plain data.
    for (let i = 0; i < column.length; i++) Object.defineProperty(rows[i], metric, { value: column[i], enumerable: true, writable: true, configurable: true });
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
};

/** Applies the migrations from `fromVersion` up to `toVersion`. */
export function migrate(stored: StoredCheckpoint, fromVersion: number, toVersion: number): StoredCheckpoint {
  let current = stored;
  for (let v = fromVersion; v < toVersion; v++) current = MIGRATIONS[v](current);
  return current;
}

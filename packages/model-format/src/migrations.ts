import type { RawTensor } from './dtypes.js';
import { FormatError, FormatErrorCode } from './errors.js';
import { metadataJson } from './metadata-json.js';
import { checkHistoryRows, checkHistorySize } from './training-record.js';
import { upgradeTrainingRecord } from './training-record-v4.js';

/** A checkpoint's metadata and tensors as read from the file, before interpretation. */
export interface StoredCheckpoint {
  metadata: Record<string, string>;
  tensors: Map<string, RawTensor>;
  /**
   * The training record as a migration already parsed and rewrote it (it then supersedes
   * `metadata.training`), so a large history is not serialised and parsed once more.
   */
  training?: unknown;
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
  // Rows cost far more than the column values they come from (an object per epoch, a key per
  // value), so count first and refuse a history no real run has; then write the rows as JSON text
  // directly, one pass and no object per row.
  const columns = Object.entries(history).filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]) && entry[0] !== 'epoch');
  let epochs = 0;
  let values = 0;
  for (const [, column] of columns) {
    epochs = Math.max(epochs, column.length);
    values += column.length;
  }
  checkHistorySize('format v1 "training.history"', epochs, values + epochs);
  const keys = columns.map(([metric]) => JSON.stringify(metric));
  const rows: string[] = new Array(epochs);
  for (let i = 0; i < epochs; i++) {
    let row = `{"epoch":${i}`;
    for (let m = 0; m < columns.length; m++) {
      const column = columns[m][1];
      if (i < column.length) row += `,${keys[m]}:${JSON.stringify(column[i])}`;
    }
    rows[i] = `${row}}`;
  }
  const { history: _, ...rest } = training as Record<string, unknown>;
  const head = JSON.stringify(rest);
  const text = `${head.slice(0, -1)}${head === '{}' ? '' : ','}"history":[${rows.join(',')}]}`;
  return withVersion({ ...stored, metadata: { ...stored.metadata, training: text } }, 2);
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
  3: oneTrainingRecord,
};

/**
 * v3 → v4: the training record takes one layout for every writer (core's EpochRecord rows, the
 * CLI's setting names); see training-record-v4.ts for what each old layout becomes.
 */
function oneTrainingRecord(stored: StoredCheckpoint): StoredCheckpoint {
  if (stored.metadata.training === undefined) return withVersion(stored, 4);
  const json = metadataJson(stored.metadata, 'training');
  // The cap first: a hostile history must not cost an object per row before it is refused.
  checkHistoryRows('checkpoint metadata "training.history"', (json as { history?: unknown } | null)?.history);
  return { ...withVersion(stored, 4), training: upgradeTrainingRecord(json) };
}

/** Applies the migrations from `fromVersion` up to `toVersion`. */
export function migrate(stored: StoredCheckpoint, fromVersion: number, toVersion: number): StoredCheckpoint {
  let current = stored;
  for (let v = fromVersion; v < toVersion; v++) current = MIGRATIONS[v](current);
  return current;
}

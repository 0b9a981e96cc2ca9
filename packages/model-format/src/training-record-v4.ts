/**
 * v3 → v4: one training record for both front ends. Before v4 each writer had its own layout:
 * - the CLI: epochs 1-based, `trainLoss`/`trainAccuracy` (plus valLoss, valAccuracy, learningRate, seconds);
 * - the desktop: epochs 0-based, `loss`/`accuracy`, and hyperparameters `architecture`, `lr`, `loss: 'cross_entropy'`;
 * - `tune`: an empty history;
 * - hand-written records (and format v1/v2 files): `optimizer: { type, lr }`, `loss: 'cross_entropy'`.
 * v4 is core's EpochRecord (0-based, loss/accuracy/valLoss/valAccuracy/learningRate, optional seconds)
 * and the CLI's setting names. This rewrites any of the old layouts into it; a value it cannot
 * place is left for the v4 schema to refuse, so a damaged file still fails with its field named.
 */

const ROW_KEYS = ['loss', 'accuracy', 'valLoss', 'valAccuracy', 'learningRate', 'seconds'] as const;

/** Old history-row names → v4 names. */
const ROW_RENAMES: Record<string, (typeof ROW_KEYS)[number]> = { trainLoss: 'loss', trainAccuracy: 'accuracy', lr: 'learningRate', val_loss: 'valLoss', val_accuracy: 'valAccuracy' };

/** Old core loss names → the CLI's spelling. */
const LOSS_RENAMES: Record<string, string> = { cross_entropy: 'ce', 'cross-entropy': 'ce', crossentropy: 'ce' };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A pre-v4 training record in the v4 layout. Rows are renumbered 0, 1, 2… in order (the CLI's were
 * 1-based; every writer stored one row per epoch in order), renamed, and keep only the v4 metrics
 * (a metric missing from a row becomes null: unknown). Hyperparameters are renamed to the CLI's
 * names; other keys are kept as they were.
 */
export function upgradeTrainingRecord(training: unknown): unknown {
  if (!isObject(training)) return training;
  const upgraded: Record<string, unknown> = { ...training };
  if (Array.isArray(training.history)) upgraded.history = training.history.map(upgradeRow);
  if (isObject(training.hyperparameters)) upgraded.hyperparameters = upgradeHyperparameters(training.hyperparameters);
  return upgraded;
}

function upgradeRow(row: unknown, index: number): unknown {
  if (!isObject(row)) return row;
  const out: Record<string, unknown> = { epoch: index, loss: null, accuracy: null };
  for (const key of ROW_KEYS) if (row[key] !== undefined) out[key] = row[key];
  for (const [old, name] of Object.entries(ROW_RENAMES)) {
    if (row[old] !== undefined && (out[name] === undefined || out[name] === null)) out[name] = row[old];
  }
  return out;
}

function upgradeHyperparameters(h: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(h)) {
    if (key === 'architecture' && h.arch === undefined) out.arch = value;
    else if (key === 'learningRate' && h.lr === undefined) out.lr = value;
    else if (key === 'loss' && typeof value === 'string') out.loss = LOSS_RENAMES[value] ?? value;
    else if (key === 'optimizer' && isObject(value)) {
      // { type: 'adam', lr: 0.01, momentum, weightDecay } → optimizer: 'adam', lr: 0.01, …
      if (typeof value.type === 'string') out.optimizer = value.type;
      for (const field of ['lr', 'momentum', 'weightDecay'] as const) {
        if (value[field] !== undefined && h[field] === undefined) out[field] = value[field];
      }
    } else out[key] = value;
  }
  return out;
}

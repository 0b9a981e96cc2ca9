import type { StoredEpochRecord } from '@scratchnet/model-format';

/**
 * One row of the per-epoch metrics file written next to a checkpoint, and of the terminal's
 * epoch lines: `epoch` 1-based as people count ("epoch 3/10"). The checkpoint stores the same
 * numbers as core's 0-based EpochRecord (see epochRowFromRecord).
 */
export interface EpochRow {
  /** 1-based. */
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  learningRate: number;
  seconds: number;
}

const HEADER = 'epoch,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,seconds';

export function formatMetricsCsv(rows: readonly EpochRow[]): string {
  const cell = (v: number | undefined, digits = 6) => (v === undefined || !Number.isFinite(v) ? '' : Number(v.toPrecision(digits)).toString());
  const lines = rows.map((r) =>
    [r.epoch, cell(r.trainLoss), cell(r.trainAccuracy), cell(r.valLoss), cell(r.valAccuracy), cell(r.learningRate), cell(r.seconds, 4)].join(','),
  );
  return `${[HEADER, ...lines].join('\n')}\n`;
}

/** The display/CSV row of a stored history row (epoch + 1; a null metric, not finite, reads as NaN). */
export function epochRowFromRecord(record: StoredEpochRecord): EpochRow {
  const num = (v: number | null | undefined) => (v === null || v === undefined ? Number.NaN : v);
  return {
    epoch: record.epoch + 1,
    trainLoss: num(record.loss),
    trainAccuracy: num(record.accuracy),
    valLoss: record.valLoss ?? undefined,
    valAccuracy: record.valAccuracy ?? undefined,
    learningRate: num(record.learningRate),
    seconds: num(record.seconds),
  };
}

/** One row of the per-epoch metrics file written next to a checkpoint. */
export interface EpochRow {
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

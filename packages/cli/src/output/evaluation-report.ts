import { formatTable, percent } from './table.js';

/** The parts of core's Evaluation that the report prints. */
export interface EvaluationLike {
  loss: number;
  accuracy: number;
  count: number;
  confusion: number[][];
  perClass: Array<{ precision: number; recall: number; f1: number; support: number }>;
}

/** Off-diagonal confusion cells, largest first: "true class predicted as other class". */
export function mostConfusedPairs(confusion: number[][], classNames: readonly string[], top = 5) {
  const pairs: Array<{ actual: string; predicted: string; count: number; rate: number }> = [];
  confusion.forEach((row, a) => {
    const total = row.reduce((s, v) => s + v, 0);
    row.forEach((count, p) => {
      if (a !== p && count > 0) pairs.push({ actual: classNames[a] ?? String(a), predicted: classNames[p] ?? String(p), count, rate: total ? count / total : 0 });
    });
  });
  return pairs.sort((x, y) => y.count - x.count).slice(0, top);
}

/** Per-class precision/recall/F1 table, the confusion matrix with class names, and the most-confused pairs. */
export function formatEvaluation(e: EvaluationLike, classNames: readonly string[]): string {
  const out: string[] = [];
  out.push(`loss ${e.loss.toFixed(4)}  accuracy ${percent(e.accuracy)} (${e.accuracy.toFixed(4)})  on ${e.count} images`);
  out.push('');
  out.push(
    formatTable([
      ['class', 'precision', 'recall', 'f1', 'support'],
      ...e.perClass.map((c, i) => [classNames[i] ?? String(i), c.precision.toFixed(3), c.recall.toFixed(3), c.f1.toFixed(3), String(c.support)]),
    ]),
  );
  out.push('');
  // Long names (Fashion-MNIST's) would make the columns wide: number the columns and name the rows.
  const numbered = classNames.some((n, i) => n !== String(i));
  out.push(`confusion matrix (rows: true class, columns: predicted${numbered ? ' class number' : ''})`);
  const rowLabel = (i: number) => (numbered ? `${i} ${classNames[i] ?? ''}` : (classNames[i] ?? String(i)));
  out.push(formatTable([['', ...e.confusion.map((_, i) => String(i))], ...e.confusion.map((row, i) => [rowLabel(i), ...row.map(String)])], 2));
  const pairs = mostConfusedPairs(e.confusion, classNames);
  if (pairs.length) {
    out.push('');
    out.push('most confused');
    for (const p of pairs) out.push(`  ${p.actual} → ${p.predicted}: ${p.count} (${percent(p.rate, 1)} of ${p.actual})`);
  }
  return out.join('\n');
}

/** Precision, recall and F1 of one class, with its support (number of true examples). */
export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/**
 * The class a model output row predicts: the arg-max, or for a single output column a
 * threshold (0 for logits, 0.5 for probabilities) between class 0 and class 1.
 */
export function predictedClass(output: Float32Array, row: number, cols: number, threshold: number): number {
  const start = row * cols;
  if (cols === 1) return output[start] > threshold ? 1 : 0;
  let best = 0;
  let bestValue = output[start];
  for (let c = 1; c < cols; c++) {
    const v = output[start + c];
    if (v > bestValue) {
      bestValue = v;
      best = c;
    }
  }
  return best;
}

/** Confusion counts: matrix[actual][predicted]. */
export function confusionMatrix(actual: ArrayLike<number>, predicted: ArrayLike<number>, classCount: number): number[][] {
  const matrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  for (let i = 0; i < actual.length; i++) matrix[actual[i]][predicted[i]]++;
  return matrix;
}

/**
 * Per-class precision, recall and F1 from a confusion matrix (row = true class). A ratio with a
 * zero denominator is 0, as scikit-learn reports it.
 */
export function classMetrics(confusion: readonly (readonly number[])[]): ClassMetrics[] {
  const n = confusion.length;
  return confusion.map((row, k) => {
    const truePositives = row[k];
    const support = row.reduce((a, b) => a + b, 0);
    let predictedK = 0;
    for (let r = 0; r < n; r++) predictedK += confusion[r][k];
    const precision = predictedK > 0 ? truePositives / predictedK : 0;
    const recall = support > 0 ? truePositives / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
}

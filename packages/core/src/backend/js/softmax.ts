export function softmax(x: Float32Array, y: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    let max = -Infinity;
    for (let c = 0; c < cols; c++) if (x[row + c] > max) max = x[row + c];
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp(x[row + c] - max);
      y[row + c] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let c = 0; c < cols; c++) y[row + c] *= inv;
  }
}

/** Fused softmax + cross-entropy; returns the summed loss, writes (p − onehot)·scale. */
export function softmaxCrossEntropy(
  logits: Float32Array,
  labels: Int32Array,
  dLogits: Float32Array | null,
  rows: number,
  cols: number,
  scale: number,
): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    const label = labels[r];
    let max = -Infinity;
    for (let c = 0; c < cols; c++) if (logits[row + c] > max) max = logits[row + c];
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(logits[row + c] - max);
    const logSumExp = max + Math.log(sum);
    total += logSumExp - logits[row + label];
    if (dLogits) {
      const inv = 1 / sum;
      for (let c = 0; c < cols; c++) {
        const p = Math.exp(logits[row + c] - max) * inv;
        dLogits[row + c] = (p - (c === label ? 1 : 0)) * scale;
      }
    }
  }
  return total;
}

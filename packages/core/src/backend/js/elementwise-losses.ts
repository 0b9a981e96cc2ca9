// Reference loops for the elementwise kernels behind dropout, the softmax layer's backward pass
// and the squared-error / binary cross-entropy losses.

export function multiply(a: Float32Array, b: Float32Array, y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) y[i] = a[i] * b[i];
}

export function softmaxBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    let dot = 0;
    for (let c = 0; c < cols; c++) dot += dy[row + c] * y[row + c];
    for (let c = 0; c < cols; c++) dx[row + c] = y[row + c] * (dy[row + c] - dot);
  }
}

/** Target of row r, column c: dense targets as given, else a one-hot row (or the 0/1 label itself with one column). */
export function elementTarget(t: Float32Array | null, labels: Int32Array | null, r: number, c: number, cols: number): number {
  if (t) return t[r * cols + c];
  const label = labels![r];
  if (cols === 1) return label;
  return label === c ? 1 : 0;
}

export function squaredError(
  y: Float32Array,
  t: Float32Array | null,
  labels: Int32Array | null,
  dy: Float32Array | null,
  rows: number,
  cols: number,
  scale: number,
): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const diff = y[i] - elementTarget(t, labels, r, c, cols);
      total += diff * diff;
      if (dy) dy[i] = 2 * diff * scale;
    }
  }
  return total;
}

export function sigmoidCrossEntropy(
  z: Float32Array,
  t: Float32Array | null,
  labels: Int32Array | null,
  dz: Float32Array | null,
  rows: number,
  cols: number,
  scale: number,
): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const v = z[i];
      const target = elementTarget(t, labels, r, c, cols);
      const e = Math.exp(-Math.abs(v));
      total += Math.max(v, 0) - v * target + Math.log1p(e);
      if (dz) dz[i] = ((v >= 0 ? 1 / (1 + e) : e / (1 + e)) - target) * scale;
    }
  }
  return total;
}

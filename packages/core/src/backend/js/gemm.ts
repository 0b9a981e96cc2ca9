/**
 * Reference matrix multiply, C (m×n) (+)= op(A)·op(B). Loop orders keep the innermost loop
 * walking contiguous memory; sums of one output element are formed in float32 as they would be
 * by a straightforward loop (the WASM backend is compared against this within a tolerance).
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  accumulate: boolean,
): void {
  if (!accumulate) c.fill(0, 0, m * n);
  if (!transB) {
    // C[i,:] += op(A)[i,p] * B[p,:]  — B rows are contiguous.
    for (let i = 0; i < m; i++) {
      const cRow = i * n;
      for (let p = 0; p < k; p++) {
        const aip = transA ? a[p * m + i] : a[i * k + p];
        if (aip === 0) continue;
        const bRow = p * n;
        for (let j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j];
      }
    }
    return;
  }
  // transB: C[i,j] = Σ_p op(A)[i,p] * B[j,p]  — a dot product over contiguous rows of B.
  for (let i = 0; i < m; i++) {
    const cRow = i * n;
    for (let j = 0; j < n; j++) {
      const bRow = j * k;
      let sum = 0;
      if (transA) {
        for (let p = 0; p < k; p++) sum += a[p * m + i] * b[bRow + p];
      } else {
        const aRow = i * k;
        for (let p = 0; p < k; p++) sum += a[aRow + p] * b[bRow + p];
      }
      c[cRow + j] += sum;
    }
  }
}

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
  gemmAt(transA, transB, m, n, k, a, 0, b, 0, c, 0, accumulate);
}

/** gemm on the matrices at offsets oa, ob and oc of a, b and c (no views: a batch allocates nothing). */
function gemmAt(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  oa: number,
  b: Float32Array,
  ob: number,
  c: Float32Array,
  oc: number,
  accumulate: boolean,
): void {
  if (!accumulate) c.fill(0, oc, oc + m * n);
  if (!transB) {
    // C[i,:] += op(A)[i,p] * B[p,:]  — B rows are contiguous.
    for (let i = 0; i < m; i++) {
      const cRow = oc + i * n;
      for (let p = 0; p < k; p++) {
        const aip = transA ? a[oa + p * m + i] : a[oa + i * k + p];
        if (aip === 0) continue;
        const bRow = ob + p * n;
        for (let j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j];
      }
    }
    return;
  }
  // transB: C[i,j] = Σ_p op(A)[i,p] * B[j,p]  — a dot product over contiguous rows of B.
  for (let i = 0; i < m; i++) {
    const cRow = oc + i * n;
    for (let j = 0; j < n; j++) {
      const bRow = ob + j * k;
      let sum = 0;
      if (transA) {
        for (let p = 0; p < k; p++) sum += a[oa + p * m + i] * b[bRow + p];
      } else {
        const aRow = oa + i * k;
        for (let p = 0; p < k; p++) sum += a[aRow + p] * b[bRow + p];
      }
      c[cRow + j] += sum;
    }
  }
}

/** `count` GEMMs over matrices stored back to back (Backend.gemmBatch). */
export function gemmBatch(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  count: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  accumulate: boolean,
): void {
  for (let i = 0; i < count; i++) {
    gemmAt(transA, transB, m, n, k, a, i * m * k, b, i * k * n, c, i * m * n, accumulate);
  }
}

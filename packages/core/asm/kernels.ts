import { zeroBytes } from './zero';
// WebAssembly SIMD kernels for @scratchnet/core's wasm backend (AssemblyScript).
//
// Compiled by scripts/build-wasm.mjs into four variants (plain SIMD / relaxed SIMD, shared /
// unshared imported memory) and embedded in the bundle as base64. Every pointer is a byte offset
// into the imported memory; the TypeScript side (src/backend/wasm/) owns allocation. Nothing here
// allocates: there is no heap, only locals, so several instances (one per thread) can run on the
// same shared memory at once as long as they write disjoint outputs.
//
// Semantics mirror src/backend/js/ (the reference); results agree within float tolerance
// (different summation order in GEMM, fused multiply-add in the relaxed variant, a polynomial exp).

// ---------------------------------------------------------------------------------------------
// Helpers

/** a·b + c: one fused instruction with relaxed SIMD, a multiply and an add otherwise. */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

const LOG2E: f32 = 1.4426950408889634;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

/**
 * e^x on four lanes (Cephes expf: range reduction by ln 2, degree-5 polynomial, exponent
 * built from bits). Relative error ≈ 2 ulp; x is clamped to [-87.3, 88.7] so 2^n stays normal.
 */
// @ts-ignore: decorator
@inline function expv(x0: v128): v128 {
  const x1 = f32x4.min(f32x4.max(x0, f32x4.splat(-87.3)), f32x4.splat(88.7));
  const n = f32x4.nearest(f32x4.mul(x1, f32x4.splat(LOG2E)));
  let x = f32x4.sub(x1, f32x4.mul(n, f32x4.splat(LN2_HI)));
  x = f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = madd(p, x, f32x4.splat(1.3981999507e-3));
  p = madd(p, x, f32x4.splat(8.3334519073e-3));
  p = madd(p, x, f32x4.splat(4.1665795894e-2));
  p = madd(p, x, f32x4.splat(1.6666665459e-1));
  p = madd(p, x, f32x4.splat(5.0000001201e-1));
  const xx = f32x4.mul(x, x);
  p = madd(p, xx, f32x4.add(x, f32x4.splat(1.0)));
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, pow2);
}

const SELU_ALPHA: f32 = 1.6732632423543772;
const SELU_SCALE: f32 = 1.0507009873554805;

// Activation kinds: the TypeScript side maps names to these numbers.
const IDENTITY = 0;
const RELU = 1;
const LEAKY_RELU = 2;
const SIGMOID = 3;
const TANH = 4;
const SELU = 5;

// @ts-ignore: decorator
@inline function activateV(kind: i32, x: v128, alpha: f32): v128 {
  const zero = f32x4.splat(0);
  if (kind == RELU) return f32x4.max(x, zero);
  if (kind == LEAKY_RELU) return v128.bitselect(x, f32x4.mul(x, f32x4.splat(alpha)), f32x4.gt(x, zero));
  if (kind == SIGMOID) {
    // 1 / (1 + e^-x); e^-x saturates to +inf-free values thanks to the clamp in expv.
    return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), expv(f32x4.neg(x))));
  }
  if (kind == TANH) {
    // tanh x = sign(x)·(1 − e^{-2|x|}) / (1 + e^{-2|x|}): no overflow, no cancellation for large |x|.
    const e = expv(f32x4.mul(f32x4.abs(x), f32x4.splat(-2)));
    const t = f32x4.div(f32x4.sub(f32x4.splat(1), e), f32x4.add(f32x4.splat(1), e));
    return v128.or(t, v128.and(x, i32x4.splat(0x80000000)));
  }
  if (kind == SELU) {
    const neg = f32x4.mul(f32x4.splat(SELU_SCALE * SELU_ALPHA), f32x4.sub(expv(x), f32x4.splat(1)));
    return v128.bitselect(f32x4.mul(x, f32x4.splat(SELU_SCALE)), neg, f32x4.gt(x, zero));
  }
  return x;
}

/** Scalar tail of activateV: same formulas on lane 0. */
// @ts-ignore: decorator
@inline function activateS(kind: i32, x: f32, alpha: f32): f32 {
  return f32x4.extract_lane(activateV(kind, f32x4.splat(x), alpha), 0);
}

// ---------------------------------------------------------------------------------------------
// GEMM: C (m×n, row stride ldc) (+)= op(A)·op(B), pointers in bytes, strides in elements.
//
// Blocking (Goto-style): k in blocks of KC; for each block, op(B)[kc×n] is packed into panels of
// NR=8 columns laid out [p][8] (zero-padded at the right edge), so the micro-kernel reads B with
// unit stride whatever B's layout — this is where transB costs nothing extra. A is read in place
// through two strides (row, column), so transA is free too. Rows go in blocks of MC so the A block
// (MC×KC floats = 64 KB) stays in L2 while every B panel streams past it; the 4×8 micro-kernel
// keeps 8 accumulators (32 floats of C) in registers for the whole KC loop.

const KC = 256;
const MC = 64;
const NC = 256;

/** Bytes of pack scratch one gemm call needs for n columns: KC × min(n, NC) rounded up to 8 floats. */
export function packBytes(n: i32): i32 {
  return KC * (((min(n, NC) + 7) >> 3) << 3) * 4;
}

/**
 * `count` GEMMs over matrices stored back to back (m·k, k·n and m·n floats apart), each as gemm
 * with packed leading dimensions; a thread's share of a batch is a range of them.
 */
export function gemmBatch(transA: i32, transB: i32, m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: i32, pack: usize, count: i32): void {
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  for (let i = 0; i < count; i++) {
    gemm(transA, transB, m, n, k, a + <usize>(i * m * k) * 4, lda, b + <usize>(i * k * n) * 4, ldb, c + <usize>(i * m * n) * 4, n, accumulate, pack);
  }
}

export function gemm(
  transA: i32,
  transB: i32,
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  accumulate: i32,
  pack: usize,
): void {
  if (m <= 0 || n <= 0) return;
  const cRs = (<usize>ldc) << 2;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) zeroBytes(c + <usize>i * cRs, (<usize>n) << 2);
    return;
  }
  // Without accumulate, the first k block stores its sums instead of adding them to C (no
  // zeroing pass over C, no read of it).
  // Rows of A against rows of B over a long k (a convolution's weight gradient dy·colᵀ, with
  // k = batch × positions): every output is a dot product of two contiguous rows, and packing B
  // would cost as much as the product. The choice depends on the layout and k only — never on m
  // or n, which a thread split changes — so a split product has the same bits as a whole one.
  if (transB && !transA && k >= 1024) {
    dotTiles(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
    return;
  }
  // A few rows times a transposed B (single-image inference, x·Wᵀ): dot products along the
  // contiguous rows of both, no packing (packing W would cost more than the product).
  if (transB && !transA && m < 4) {
    for (let i = 0; i < m; i++) dotRows(a + ((<usize>i * <usize>lda) << 2), b, ldb, n, k, c + <usize>i * cRs, accumulate);
    return;
  }
  // A few rows times a wide row-major B (a convolution's forward W·col, 16 output channels over
  // batch × positions columns): computed as (Bᵀ·op(A)ᵀ)ᵀ, so only op(A) is packed (m × kc floats)
  // and B is read in place, instead of packing all of B to use each panel for 4 row tiles at most.
  // Every output gets the same products added in the same order as below (a·b = b·a exactly, and
  // fused or not alike), so the choice may depend on m: a split product keeps its bits.
  if (!transB && m <= SWAP_ROWS && n >= m) {
    gemmSwapped(transA, m, n, k, a, lda, b, ldb, c, ldc, accumulate, pack);
    return;
  }
  // A(i, p) lives at a + i·aRs + p·aCs.
  const aRs: usize = transA ? 4 : (<usize>lda) << 2;
  const aCs: usize = transA ? (<usize>lda) << 2 : 4;
  // Columns in blocks of NC so the packed B block (KC×NC floats = 256 KB) stays in L2 next to A.
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    const bCols = transB ? b + <usize>jc * ((<usize>ldb) << 2) : b + (<usize>jc << 2);
    const cCols = c + (<usize>jc << 2);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      // Both layouts are packed: reading a row-major B in place (stride = one row) measured 2-80×
      // slower here than paying for the copy, which is O(k·n) against O(m·n·k) of arithmetic.
      packB(transB, nc, kc, bCols, ldb, pc, pack);
      const add: bool = accumulate != 0 || pc > 0;
      const aBlock = a + <usize>pc * aCs;
      for (let ic = 0; ic < m; ic += MC) {
        const iEnd = min(ic + MC, m);
        for (let jr = 0; jr < nc; jr += 8) {
          const nr = min(8, nc - jr);
          const panel = pack + <usize>(jr >> 3) * <usize>kc * 32;
          const bStride: usize = 32;
          let i = ic;
          for (; i + 4 <= iEnd; i += 4) {
            kernel4x8(aBlock + <usize>i * aRs, aRs, aCs, panel, bStride, kc, cCols + <usize>i * cRs + (<usize>jr << 2), cRs, nr, add, false);
          }
          // The last 1–3 rows in one tile: each B vector loaded once for them (few output
          // channels, m = 6: a third of the product).
          const rest = iEnd - i;
          const ci = cCols + <usize>i * cRs + (<usize>jr << 2);
          if (rest == 3) kernel3x8(aBlock + <usize>i * aRs, aRs, aCs, panel, bStride, kc, ci, cRs, nr, add, false);
          else if (rest == 2) kernel2x8(aBlock + <usize>i * aRs, aRs, aCs, panel, bStride, kc, ci, cRs, nr, add, false);
          else if (rest == 1) kernel1x8(aBlock + <usize>i * aRs, aCs, panel, bStride, kc, ci, cRs, nr, add, false);
        }
      }
    }
  }
}

/** Most rows of op(A) for which a row-major B is read in place and op(A) packed instead (gemmSwapped). */
const SWAP_ROWS = 16;

/**
 * C[m×n] (+)= op(A)·B as (Bᵀ·op(A)ᵀ)ᵀ: the micro-kernels take 4 columns of C as their rows
 * (read from B in place: A'(j, p) = B[p, j]) and 8 rows of C as their packed columns (op(A)ᵀ,
 * m × kc floats: the pack scratch holds it since n ≥ m), and store their tiles transposed.
 */
function gemmSwapped(transA: i32, m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, accumulate: i32, pack: usize): void {
  const aCs: usize = (<usize>ldb) << 2;
  const cRs: usize = (<usize>ldc) << 2;
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    const add: bool = accumulate != 0 || pc > 0;
    // op(A)ᵀ(p, i) = op(A)(i, p): A's rows run along p unless transA (then its columns do).
    packB(transA ? 0 : 1, m, kc, a, lda, pc, pack);
    const aBlock = b + <usize>pc * aCs;
    for (let jc = 0; jc < n; jc += MC) {
      const jEnd = min(jc + MC, n);
      for (let ir = 0; ir < m; ir += 8) {
        const nr = min(8, m - ir);
        const panel = pack + <usize>(ir >> 3) * <usize>kc * 32;
        const cRows = c + <usize>ir * cRs;
        let j = jc;
        for (; j + 4 <= jEnd; j += 4) kernel4x8(aBlock + (<usize>j << 2), 4, aCs, panel, 32, kc, cRows + (<usize>j << 2), cRs, nr, add, true);
        const rest = jEnd - j;
        const cj = cRows + (<usize>j << 2);
        const aj = aBlock + (<usize>j << 2);
        if (rest == 3) kernel3x8(aj, 4, aCs, panel, 32, kc, cj, cRs, nr, add, true);
        else if (rest == 2) kernel2x8(aj, 4, aCs, panel, 32, kc, cj, cRs, nr, add, true);
        else if (rest == 1) kernel1x8(aj, aCs, panel, 32, kc, cj, cRs, nr, add, true);
      }
    }
  }
}

/** c[j] (+)= Σ_p x[p]·B[j, p] for j < n: four rows of B at a time, two accumulators each. */
function dotRows(x: usize, b: usize, ldb: i32, n: i32, k: i32, c: usize, accumulate: i32): void {
  const ldbBytes = (<usize>ldb) << 2;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const b0 = b + <usize>j * ldbBytes;
    const b1 = b0 + ldbBytes, b2 = b1 + ldbBytes, b3 = b2 + ldbBytes;
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let t0 = f32x4.splat(0), t1 = f32x4.splat(0), t2 = f32x4.splat(0), t3 = f32x4.splat(0);
    let p = 0;
    for (; p + 8 <= k; p += 8) {
      const o = <usize>p << 2;
      const xa = v128.load(x + o), xb = v128.load(x + o, 16);
      s0 = madd(xa, v128.load(b0 + o), s0);
      t0 = madd(xb, v128.load(b0 + o, 16), t0);
      s1 = madd(xa, v128.load(b1 + o), s1);
      t1 = madd(xb, v128.load(b1 + o, 16), t1);
      s2 = madd(xa, v128.load(b2 + o), s2);
      t2 = madd(xb, v128.load(b2 + o, 16), t2);
      s3 = madd(xa, v128.load(b3 + o), s3);
      t3 = madd(xb, v128.load(b3 + o, 16), t3);
    }
    let r0 = hsum(f32x4.add(s0, t0)), r1 = hsum(f32x4.add(s1, t1));
    let r2 = hsum(f32x4.add(s2, t2)), r3 = hsum(f32x4.add(s3, t3));
    for (; p < k; p++) {
      const o = <usize>p << 2;
      const xv = load<f32>(x + o);
      r0 += xv * load<f32>(b0 + o);
      r1 += xv * load<f32>(b1 + o);
      r2 += xv * load<f32>(b2 + o);
      r3 += xv * load<f32>(b3 + o);
    }
    const cj = c + (<usize>j << 2);
    if (accumulate) {
      r0 += load<f32>(cj);
      r1 += load<f32>(cj, 4);
      r2 += load<f32>(cj, 8);
      r3 += load<f32>(cj, 12);
    }
    store<f32>(cj, r0);
    store<f32>(cj, r1, 4);
    store<f32>(cj, r2, 8);
    store<f32>(cj, r3, 12);
  }
  for (; j < n; j++) {
    const bj = b + <usize>j * ldbBytes;
    let s = f32x4.splat(0);
    let p = 0;
    for (; p + 4 <= k; p += 4) s = madd(v128.load(x + (<usize>p << 2)), v128.load(bj + (<usize>p << 2)), s);
    let r = hsum(s);
    for (; p < k; p++) r += load<f32>(x + (<usize>p << 2)) * load<f32>(bj + (<usize>p << 2));
    const cj = c + (<usize>j << 2);
    store<f32>(cj, accumulate ? load<f32>(cj) + r : r);
  }
}

/** k block of dotTiles: the m + n row segments (4 KB each) stay in L2 while every tile reuses them. */
const KB = 1024;

/**
 * C[m×n] (+)= A[m×k]·B[n×k]ᵀ with both operands' rows contiguous along k, in tiles of 2 rows of A
 * × 4 rows of B (8 vector accumulators, 6 loads per 8 multiply-adds); an odd last row takes 1×4
 * tiles. A partial tile repeats its last column. Every output is summed by the same sequence of
 * operations whatever its tile, so it has the same bits whatever rows or columns a thread took.
 */
function dotTiles(m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, accumulate: i32): void {
  const aRs = (<usize>lda) << 2;
  const bRs = (<usize>ldb) << 2;
  const cRs = (<usize>ldc) << 2;
  for (let pc = 0; pc < k; pc += KB) {
    const kb = min(KB, k - pc);
    const add = accumulate != 0 || pc > 0;
    const kOff = <usize>pc << 2;
    let i = 0;
    for (; i + 2 <= m; i += 2) {
      const a0 = a + <usize>i * aRs + kOff;
      for (let j = 0; j < n; j += 4) dotTile2x4(a0, a0 + aRs, b + kOff, bRs, j, n, kb, c + <usize>i * cRs, cRs, add);
    }
    if (i < m) {
      const a0 = a + <usize>i * aRs + kOff;
      for (let j = 0; j < n; j += 4) dotTile1x4(a0, b + kOff, bRs, j, n, kb, c + <usize>i * cRs, add);
    }
  }
}

// @ts-ignore: decorator
@inline function dotTile2x4(a0: usize, a1: usize, b: usize, bRs: usize, j: i32, n: i32, kb: i32, c0: usize, cRs: usize, add: bool): void {
  const j1 = min(j + 1, n - 1), j2 = min(j + 2, n - 1), j3 = min(j + 3, n - 1);
  const b0 = b + <usize>j * bRs, b1 = b + <usize>j1 * bRs, b2 = b + <usize>j2 * bRs, b3 = b + <usize>j3 * bRs;
  let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
  let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
  let p = 0;
  for (; p + 4 <= kb; p += 4) {
    const o = <usize>p << 2;
    const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
    const y0 = v128.load(b0 + o), y1 = v128.load(b1 + o), y2 = v128.load(b2 + o), y3 = v128.load(b3 + o);
    s00 = madd(x0, y0, s00);
    s01 = madd(x0, y1, s01);
    s02 = madd(x0, y2, s02);
    s03 = madd(x0, y3, s03);
    s10 = madd(x1, y0, s10);
    s11 = madd(x1, y1, s11);
    s12 = madd(x1, y2, s12);
    s13 = madd(x1, y3, s13);
  }
  let r00 = hsum(s00), r01 = hsum(s01), r02 = hsum(s02), r03 = hsum(s03);
  let r10 = hsum(s10), r11 = hsum(s11), r12 = hsum(s12), r13 = hsum(s13);
  for (; p < kb; p++) {
    const o = <usize>p << 2;
    const x0 = load<f32>(a0 + o), x1 = load<f32>(a1 + o);
    const y0 = load<f32>(b0 + o), y1 = load<f32>(b1 + o), y2 = load<f32>(b2 + o), y3 = load<f32>(b3 + o);
    r00 += x0 * y0;
    r01 += x0 * y1;
    r02 += x0 * y2;
    r03 += x0 * y3;
    r10 += x1 * y0;
    r11 += x1 * y1;
    r12 += x1 * y2;
    r13 += x1 * y3;
  }
  dotStoreRow(c0, j, j1, j2, j3, r00, r01, r02, r03, add);
  dotStoreRow(c0 + cRs, j, j1, j2, j3, r10, r11, r12, r13, add);
}

// @ts-ignore: decorator
@inline function dotTile1x4(a0: usize, b: usize, bRs: usize, j: i32, n: i32, kb: i32, c0: usize, add: bool): void {
  const j1 = min(j + 1, n - 1), j2 = min(j + 2, n - 1), j3 = min(j + 3, n - 1);
  const b0 = b + <usize>j * bRs, b1 = b + <usize>j1 * bRs, b2 = b + <usize>j2 * bRs, b3 = b + <usize>j3 * bRs;
  let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
  let p = 0;
  for (; p + 4 <= kb; p += 4) {
    const o = <usize>p << 2;
    const x0 = v128.load(a0 + o);
    s00 = madd(x0, v128.load(b0 + o), s00);
    s01 = madd(x0, v128.load(b1 + o), s01);
    s02 = madd(x0, v128.load(b2 + o), s02);
    s03 = madd(x0, v128.load(b3 + o), s03);
  }
  let r00 = hsum(s00), r01 = hsum(s01), r02 = hsum(s02), r03 = hsum(s03);
  for (; p < kb; p++) {
    const o = <usize>p << 2;
    const x0 = load<f32>(a0 + o);
    r00 += x0 * load<f32>(b0 + o);
    r01 += x0 * load<f32>(b1 + o);
    r02 += x0 * load<f32>(b2 + o);
    r03 += x0 * load<f32>(b3 + o);
  }
  dotStoreRow(c0, j, j1, j2, j3, r00, r01, r02, r03, add);
}

// @ts-ignore: decorator
@inline function dotStoreRow(row: usize, j: i32, j1: i32, j2: i32, j3: i32, r0: f32, r1: f32, r2: f32, r3: f32, add: bool): void {
  dotStore(row + (<usize>j << 2), r0, add);
  if (j1 != j) dotStore(row + (<usize>j1 << 2), r1, add);
  if (j2 != j1) dotStore(row + (<usize>j2 << 2), r2, add);
  if (j3 != j2) dotStore(row + (<usize>j3 << 2), r3, add);
}

// @ts-ignore: decorator
@inline function dotStore(at: usize, r: f32, add: bool): void {
  store<f32>(at, add ? load<f32>(at) + r : r);
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Packs op(B)[pc … pc+kc, 0 … n) into 8-column panels, [p][8] each, zero-padded. */
function packB(transB: i32, n: i32, kc: i32, b: usize, ldb: i32, pc: i32, pack: usize): void {
  const ldbBytes = (<usize>ldb) << 2;
  if (!transB) packRowsNN(n & ~7, kc, b + <usize>pc * ldbBytes, ldbBytes, pack);
  for (let jr = 0; jr < n; jr += 8) {
    const nr = min(8, n - jr);
    const panel = pack + <usize>(jr >> 3) * <usize>kc * 32;
    if (!transB) {
      // op(B)(p, j) = B[p, j]: row segments of 8 are contiguous.
      let src = b + <usize>pc * ldbBytes + (<usize>jr << 2);
      if (nr == 8) {
        // Whole panels are packed by packRowsNN (row by row, each cache line of B read once).
        continue;
      } else {
        for (let p = 0; p < kc; p++) {
          const dst = panel + (<usize>p << 5);
          v128.store(dst, f32x4.splat(0));
          v128.store(dst, f32x4.splat(0), 16);
          for (let jj = 0; jj < nr; jj++) store<f32>(dst + (<usize>jj << 2), load<f32>(src + (<usize>jj << 2)));
          src += ldbBytes;
        }
      }
    } else {
      // op(B)(p, j) = B[j, p]: read each B row contiguously, write a strided column of the panel.
      if (nr < 8) zeroBytes(panel, <usize>kc * 32);
      for (let jj = 0; jj < nr; jj++) {
        let src = b + <usize>(jr + jj) * ldbBytes + (<usize>pc << 2);
        let dst = panel + (<usize>jj << 2);
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const v = v128.load(src);
          store<f32>(dst, f32x4.extract_lane(v, 0));
          store<f32>(dst, f32x4.extract_lane(v, 1), 32);
          store<f32>(dst, f32x4.extract_lane(v, 2), 64);
          store<f32>(dst, f32x4.extract_lane(v, 3), 96);
          src += 16;
          dst += 128;
        }
        for (; p < kc; p++) {
          store<f32>(dst, load<f32>(src));
          src += 4;
          dst += 32;
        }
      }
    }
  }
}

/**
 * The whole 8-column panels of a row-major B block, two at a time: each row's 16 floats (a whole
 * cache line when aligned) are read at once. Reading 8 floats from each of kc rows in turn, when
 * B's row stride is a multiple of 4 KB (a convolution's columns at batch 64), evicts every line
 * before its second half is used: its kc lines share one set of the L1 cache.
 */
function packRowsNN(n8: i32, kc: i32, b: usize, ldbBytes: usize, pack: usize): void {
  const panelBytes = <usize>kc * 32;
  let j = 0;
  for (; j + 16 <= n8; j += 16) {
    let src = b + (<usize>j << 2);
    let dst = pack + <usize>(j >> 3) * panelBytes;
    for (let p = 0; p < kc; p++) {
      const v0 = v128.load(src), v1 = v128.load(src, 16), v2 = v128.load(src, 32), v3 = v128.load(src, 48);
      v128.store(dst, v0);
      v128.store(dst, v1, 16);
      v128.store(dst + panelBytes, v2);
      v128.store(dst + panelBytes, v3, 16);
      src += ldbBytes;
      dst += 32;
    }
  }
  if (j < n8) {
    let src = b + (<usize>j << 2);
    let dst = pack + <usize>(j >> 3) * panelBytes;
    for (let p = 0; p < kc; p++) {
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
      src += ldbBytes;
      dst += 32;
    }
  }
}

// @ts-ignore: decorator
@inline function storeRow(c: usize, v0: v128, v1: v128, nr: i32, add: bool): void {
  if (nr == 8) {
    v128.store(c, add ? f32x4.add(v128.load(c), v0) : v0);
    v128.store(c, add ? f32x4.add(v128.load(c, 16), v1) : v1, 16);
    return;
  }
  if (add) {
    v0 = f32x4.add(v0, f32x4(nr > 0 ? load<f32>(c) : 0, nr > 1 ? load<f32>(c, 4) : 0, nr > 2 ? load<f32>(c, 8) : 0, nr > 3 ? load<f32>(c, 12) : 0));
    v1 = f32x4.add(v1, f32x4(nr > 4 ? load<f32>(c, 16) : 0, nr > 5 ? load<f32>(c, 20) : 0, nr > 6 ? load<f32>(c, 24) : 0, 0));
  }
  if (nr > 0) store<f32>(c, f32x4.extract_lane(v0, 0));
  if (nr > 1) store<f32>(c, f32x4.extract_lane(v0, 1), 4);
  if (nr > 2) store<f32>(c, f32x4.extract_lane(v0, 2), 8);
  if (nr > 3) store<f32>(c, f32x4.extract_lane(v0, 3), 12);
  if (nr > 4) store<f32>(c, f32x4.extract_lane(v1, 0), 16);
  if (nr > 5) store<f32>(c, f32x4.extract_lane(v1, 1), 20);
  if (nr > 6) store<f32>(c, f32x4.extract_lane(v1, 2), 24);
}

/**
 * A transposed tile's four rows, lanes `from` … from + 3 of each: lane l of the four is column
 * from + l of C (row stride cRs), the rows its four consecutive floats (a 4×4 transpose).
 */
// @ts-ignore: decorator
@inline function storeQuadT(c: usize, cRs: usize, r0: v128, r1: v128, r2: v128, r3: v128, from: i32, nr: i32, add: bool): void {
  if (from >= nr) return;
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  storeT(c, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5), add);
  if (from + 1 < nr) storeT(c + cRs, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), add);
  if (from + 2 < nr) storeT(c + cRs * 2, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), add);
  if (from + 3 < nr) storeT(c + cRs * 3, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), add);
}

// @ts-ignore: decorator
@inline function storeT(at: usize, v: v128, add: bool): void {
  v128.store(at, add ? f32x4.add(v128.load(at), v) : v);
}

/** One row of a transposed tile: its lane l (l < nr) is C's entry at c + l·cRs. */
// @ts-ignore: decorator
@inline function storeColumnT(c: usize, cRs: usize, v0: v128, v1: v128, nr: i32, add: bool): void {
  dotStore(c, f32x4.extract_lane(v0, 0), add);
  if (nr > 1) dotStore(c + cRs, f32x4.extract_lane(v0, 1), add);
  if (nr > 2) dotStore(c + cRs * 2, f32x4.extract_lane(v0, 2), add);
  if (nr > 3) dotStore(c + cRs * 3, f32x4.extract_lane(v0, 3), add);
  if (nr > 4) dotStore(c + cRs * 4, f32x4.extract_lane(v1, 0), add);
  if (nr > 5) dotStore(c + cRs * 5, f32x4.extract_lane(v1, 1), add);
  if (nr > 6) dotStore(c + cRs * 6, f32x4.extract_lane(v1, 2), add);
  if (nr > 7) dotStore(c + cRs * 7, f32x4.extract_lane(v1, 3), add);
}

/** C[4×8] (+)= A[4×kc]·panel[kc×8]; 8 vector accumulators stay in registers. */
// @ts-ignore: decorator
@inline function kernel4x8(a: usize, aRs: usize, aCs: usize, bp: usize, bStride: usize, kc: i32, c: usize, cRs: usize, nr: i32, add: bool, trans: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let a0 = a;
  const r1 = aRs, r2 = aRs * 2, r3 = aRs * 3;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let av = v128.load32_splat(a0);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(a0 + r1);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(a0 + r2);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(a0 + r3);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    a0 += aCs;
    bp += bStride;
  }
  if (trans) {
    storeQuadT(c, cRs, c00, c10, c20, c30, 0, nr, add);
    storeQuadT(c + cRs * 4, cRs, c01, c11, c21, c31, 4, nr, add);
    return;
  }
  storeRow(c, c00, c01, nr, add);
  storeRow(c + cRs, c10, c11, nr, add);
  storeRow(c + cRs * 2, c20, c21, nr, add);
  storeRow(c + cRs * 3, c30, c31, nr, add);
}

/** C[3×8] (+)= A[3×kc]·panel[kc×8]. */
// @ts-ignore: decorator
@inline function kernel3x8(a: usize, aRs: usize, aCs: usize, bp: usize, bStride: usize, kc: i32, c: usize, cRs: usize, nr: i32, add: bool, trans: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let a0 = a;
  const r2 = aRs * 2;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let av = v128.load32_splat(a0);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(a0 + aRs);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(a0 + r2);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    a0 += aCs;
    bp += bStride;
  }
  if (trans) {
    storeColumnT(c, cRs, c00, c01, nr, add);
    storeColumnT(c + 4, cRs, c10, c11, nr, add);
    storeColumnT(c + 8, cRs, c20, c21, nr, add);
    return;
  }
  storeRow(c, c00, c01, nr, add);
  storeRow(c + cRs, c10, c11, nr, add);
  storeRow(c + cRs * 2, c20, c21, nr, add);
}

/** C[2×8] (+)= A[2×kc]·panel[kc×8]. */
// @ts-ignore: decorator
@inline function kernel2x8(a: usize, aRs: usize, aCs: usize, bp: usize, bStride: usize, kc: i32, c: usize, cRs: usize, nr: i32, add: bool, trans: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let a0 = a;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let av = v128.load32_splat(a0);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(a0 + aRs);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    a0 += aCs;
    bp += bStride;
  }
  if (trans) {
    storeColumnT(c, cRs, c00, c01, nr, add);
    storeColumnT(c + 4, cRs, c10, c11, nr, add);
    return;
  }
  storeRow(c, c00, c01, nr, add);
  storeRow(c + cRs, c10, c11, nr, add);
}

/** C[1×8] (+)= A[1×kc]·panel[kc×8], for a last single row. */
// @ts-ignore: decorator
@inline function kernel1x8(a: usize, aCs: usize, bp: usize, bStride: usize, kc: i32, c: usize, cRs: usize, nr: i32, add: bool, trans: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const av = v128.load32_splat(a);
    c0 = madd(av, v128.load(bp), c0);
    c1 = madd(av, v128.load(bp, 16), c1);
    a += aCs;
    bp += bStride;
  }
  if (trans) storeColumnT(c, cRs, c0, c1, nr, add);
  else storeRow(c, c0, c1, nr, add);
}

// ---------------------------------------------------------------------------------------------
// Elementwise and row kernels

export function biasActivationForward(kind: i32, z: usize, bias: usize, y: usize, rows: i32, cols: i32, alpha: f32): void {
  for (let r = 0; r < rows; r++) {
    const off = (<usize>r * <usize>cols) << 2;
    const zr = z + off;
    const yr = y + off;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const o = <usize>c << 2;
      let v = v128.load(zr + o);
      if (bias) {
        v = f32x4.add(v, v128.load(bias + o));
        v128.store(zr + o, v);
      }
      v128.store(yr + o, activateV(kind, v, alpha));
    }
    for (; c < cols; c++) {
      const o = <usize>c << 2;
      let v = load<f32>(zr + o);
      if (bias) {
        v += load<f32>(bias + o);
        store<f32>(zr + o, v);
      }
      store<f32>(yr + o, activateS(kind, v, alpha));
    }
  }
}

export function channelMajorToBatchActivation(kind: i32, src: usize, dst: usize, bias: usize, batch: i32, channels: i32, inner: i32, alpha: f32): void {
  channelMajorToBatchActivationBatches(kind, src, dst, bias, batch, channels, inner, alpha, 0, batch);
}

/** dst[b, c, ·] = act(src[c, b, ·] + bias[c]) for images b0 … b1 − 1 (a thread's share). */
export function channelMajorToBatchActivationBatches(
  kind: i32, src: usize, dst: usize, bias: usize, batch: i32, channels: i32, inner: i32, alpha: f32, b0: i32, b1: i32,
): void {
  const innerBytes = (<usize>inner) << 2;
  for (let b = b0; b < b1; b++) {
    for (let c = 0; c < channels; c++) {
      const add: f32 = bias ? load<f32>(bias + ((<usize>c) << 2)) : 0;
      const addV = f32x4.splat(add);
      const from = src + <usize>(c * batch + b) * innerBytes;
      const to = dst + <usize>(b * channels + c) * innerBytes;
      let p = 0;
      for (; p + 4 <= inner; p += 4) {
        const o = <usize>p << 2;
        v128.store(to + o, activateV(kind, f32x4.add(v128.load(from + o), addV), alpha));
      }
      for (; p < inner; p++) {
        const o = <usize>p << 2;
        store<f32>(to + o, activateS(kind, load<f32>(from + o) + add, alpha));
      }
    }
  }
}

export function activationForward(kind: i32, x: usize, y: usize, n: i32, alpha: f32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, activateV(kind, v128.load(x + o), alpha));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, activateS(kind, load<f32>(x + o), alpha));
  }
}

// @ts-ignore: decorator
@inline function derivTimesV(kind: i32, x: v128, y: v128, dy: v128, alpha: f32): v128 {
  const zero = f32x4.splat(0);
  if (kind == RELU) return v128.and(dy, f32x4.gt(x, zero));
  if (kind == LEAKY_RELU) return v128.bitselect(dy, f32x4.mul(dy, f32x4.splat(alpha)), f32x4.gt(x, zero));
  if (kind == SIGMOID) return f32x4.mul(dy, f32x4.mul(y, f32x4.sub(f32x4.splat(1), y)));
  if (kind == TANH) return f32x4.mul(dy, f32x4.sub(f32x4.splat(1), f32x4.mul(y, y)));
  if (kind == SELU) {
    const neg = f32x4.mul(dy, f32x4.add(y, f32x4.splat(SELU_SCALE * SELU_ALPHA)));
    return v128.bitselect(f32x4.mul(dy, f32x4.splat(SELU_SCALE)), neg, f32x4.gt(x, zero));
  }
  return dy;
}

export function activationBackward(kind: i32, x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, derivTimesV(kind, v128.load(x + o), v128.load(y + o), v128.load(dy + o), alpha));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = derivTimesV(
      kind,
      f32x4.splat(load<f32>(x + o)),
      f32x4.splat(load<f32>(y + o)),
      f32x4.splat(load<f32>(dy + o)),
      alpha,
    );
    store<f32>(dx + o, f32x4.extract_lane(v, 0));
  }
}

export function biasGradient(dz: usize, dBias: usize, rows: i32, cols: i32, accumulate: i32): void {
  if (!accumulate) zeroBytes(dBias, (<usize>cols) << 2);
  for (let r = 0; r < rows; r++) {
    const row = dz + ((<usize>r * <usize>cols) << 2);
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const o = <usize>c << 2;
      v128.store(dBias + o, f32x4.add(v128.load(dBias + o), v128.load(row + o)));
    }
    for (; c < cols; c++) {
      const o = <usize>c << 2;
      store<f32>(dBias + o, load<f32>(dBias + o) + load<f32>(row + o));
    }
  }
}

export function softmax(x: usize, y: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const off = (<usize>r * <usize>cols) << 2;
    let hi = -Infinity as f32;
    for (let c = 0; c < cols; c++) hi = max(hi, load<f32>(x + off + (<usize>c << 2)));
    let sum: f32 = 0;
    for (let c = 0; c < cols; c++) {
      const o = off + (<usize>c << 2);
      const e = Mathf.exp(load<f32>(x + o) - hi);
      store<f32>(y + o, e);
      sum += e;
    }
    const inv: f32 = 1 / sum;
    for (let c = 0; c < cols; c++) {
      const o = off + (<usize>c << 2);
      store<f32>(y + o, load<f32>(y + o) * inv);
    }
  }
}

/**
 * Softmax + cross-entropy in one pass per row: max, then exponentials written straight into
 * dLogits (when given) while summing, then one scale pass that also subtracts the one-hot.
 * Returns the summed loss in f64.
 */
export function softmaxCrossEntropy(logits: usize, labels: usize, dLogits: usize, rows: i32, cols: i32, scale: f32): f64 {
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const off = (<usize>r * <usize>cols) << 2;
    const label = load<i32>(labels + ((<usize>r) << 2));
    let hi = -Infinity as f32;
    for (let c = 0; c < cols; c++) hi = max(hi, load<f32>(logits + off + (<usize>c << 2)));
    let sum: f32 = 0;
    if (dLogits) {
      for (let c = 0; c < cols; c++) {
        const o = off + (<usize>c << 2);
        const e = Mathf.exp(load<f32>(logits + o) - hi);
        store<f32>(dLogits + o, e);
        sum += e;
      }
      const k = scale / sum;
      for (let c = 0; c < cols; c++) {
        const o = off + (<usize>c << 2);
        store<f32>(dLogits + o, load<f32>(dLogits + o) * k - (c == label ? scale : 0));
      }
    } else {
      for (let c = 0; c < cols; c++) sum += Mathf.exp(load<f32>(logits + off + (<usize>c << 2)) - hi);
    }
    total += <f64>hi + Math.log(<f64>sum) - <f64>load<f32>(logits + off + ((<usize>label) << 2));
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Optimizers: one pass over the parameters each.

export function adamUpdate(
  param: usize,
  grad: usize,
  m: usize,
  v: usize,
  n: i32,
  stepSize: f32,
  beta1: f32,
  oneMinusBeta1: f32,
  beta2: f32,
  oneMinusBeta2: f32,
  invSqrtCorrection2: f32,
  eps: f32,
  decay: f32,
  l2: f32,
): void {
  // 1 − β arrives precomputed in f64 and rounded once: 1 − 0.999 formed in f32 is 1.3e-5 off.
  const b1 = f32x4.splat(beta1), b1c = f32x4.splat(oneMinusBeta1);
  const b2 = f32x4.splat(beta2), b2c = f32x4.splat(oneMinusBeta2);
  const ic2 = f32x4.splat(invSqrtCorrection2), ev = f32x4.splat(eps);
  const sv = f32x4.splat(stepSize), dv = f32x4.splat(decay), lv = f32x4.splat(l2);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const p = v128.load(param + o);
    const g = madd(lv, p, v128.load(grad + o));
    const mi = madd(b1, v128.load(m + o), f32x4.mul(b1c, g));
    const vi = madd(b2, v128.load(v + o), f32x4.mul(b2c, f32x4.mul(g, g)));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const denom = madd(f32x4.sqrt(vi), ic2, ev);
    v128.store(param + o, f32x4.sub(f32x4.mul(p, dv), f32x4.div(f32x4.mul(sv, mi), denom)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const p = load<f32>(param + o);
    const g = load<f32>(grad + o) + l2 * p;
    const mi = beta1 * load<f32>(m + o) + oneMinusBeta1 * g;
    const vi = beta2 * load<f32>(v + o) + oneMinusBeta2 * g * g;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(param + o, p * decay - (stepSize * mi) / (Mathf.sqrt(vi) * invSqrtCorrection2 + eps));
  }
}

export function sgdUpdate(param: usize, grad: usize, velocity: usize, n: i32, lr: f32, momentum: f32, nesterov: i32, weightDecay: f32): void {
  const lrv = f32x4.splat(lr), mu = f32x4.splat(momentum), wd = f32x4.splat(weightDecay);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const p = v128.load(param + o);
    let g = madd(wd, p, v128.load(grad + o));
    if (momentum != 0) {
      const vi = madd(mu, v128.load(velocity + o), g);
      v128.store(velocity + o, vi);
      g = nesterov ? madd(mu, vi, g) : vi;
    }
    v128.store(param + o, f32x4.sub(p, f32x4.mul(lrv, g)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const p = load<f32>(param + o);
    let g = load<f32>(grad + o) + weightDecay * p;
    if (momentum != 0) {
      const vi = momentum * load<f32>(velocity + o) + g;
      store<f32>(velocity + o, vi);
      g = nesterov ? g + momentum * vi : vi;
    }
    store<f32>(param + o, p - lr * g);
  }
}

export function rmspropUpdate(param: usize, grad: usize, square: usize, n: i32, lr: f32, rho: f32, oneMinusRho: f32, eps: f32, weightDecay: f32): void {
  const lrv = f32x4.splat(lr), rv = f32x4.splat(rho), rc = f32x4.splat(oneMinusRho);
  const ev = f32x4.splat(eps), wd = f32x4.splat(weightDecay);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const p = v128.load(param + o);
    const g = madd(wd, p, v128.load(grad + o));
    const s = madd(rv, v128.load(square + o), f32x4.mul(rc, f32x4.mul(g, g)));
    v128.store(square + o, s);
    v128.store(param + o, f32x4.sub(p, f32x4.div(f32x4.mul(lrv, g), f32x4.add(f32x4.sqrt(s), ev))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const p = load<f32>(param + o);
    const g = load<f32>(grad + o) + weightDecay * p;
    const s = rho * load<f32>(square + o) + oneMinusRho * g * g;
    store<f32>(square + o, s);
    store<f32>(param + o, p - (lr * g) / (Mathf.sqrt(s) + eps));
  }
}

export function sumOfSquares(x: usize, n: i32): f64 {
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    const lo = f64x2.promote_low_f32x4(v);
    const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    acc = f64x2.add(acc, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
  }
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < n; i++) {
    const v = <f64>load<f32>(x + (<usize>i << 2));
    sum += v * v;
  }
  return sum;
}

export function scale(x: usize, n: i32, s: f32): void {
  const sv = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(x + o, f32x4.mul(v128.load(x + o), sv));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(x + o, load<f32>(x + o) * s);
  }
}

/** x[i] = bytes[i] / 255: sixteen bytes widened to four f32x4 per step (division, not a multiply by 1/255, so the bits match the reference). */
export function bytesToUnit(bytes: usize, x: usize, n: i32): void {
  const d = f32x4.splat(255);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const v = v128.load(bytes + <usize>i);
    const lo = i16x8.extend_low_i8x16_u(v), hi = i16x8.extend_high_i8x16_u(v);
    const o = x + (<usize>i << 2);
    v128.store(o, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(lo)), d));
    v128.store(o, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(lo)), d), 16);
    v128.store(o, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(hi)), d), 32);
    v128.store(o, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(hi)), d), 48);
  }
  for (; i < n; i++) store<f32>(x + (<usize>i << 2), <f32>load<u8>(bytes + <usize>i) / 255);
}

// ---------------------------------------------------------------------------------------------
// Kernels in their own files: convolution and pooling windows, batch norm, elementwise losses.

export * from './window-ops';
export * from './pooling';
export * from './batch-norm';
export * from './elementwise';
export * from './direct-conv';
export * from './winograd';
export * from './winograd5';

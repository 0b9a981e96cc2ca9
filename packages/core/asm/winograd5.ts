import { copyRect, evens, loadLanes, maskedGradientImage, odds, storeBiasSum, storeLanes, storeTileRow } from './lanes';
import { zeroBytes } from './zero';
// Winograd F(2×2, 5×5) transforms, the SIMD kernels behind the wasm backend's winograd* kernels
// for 5×5 layers; the maths (points 0, ±1, ±2, ∞) and the layouts are the reference's
// (src/backend/js/winograd.ts): Winograd-domain buffers are [36][channels][batch·tiles], tile
// t = image·tiles + ty·tilesW + tx.
//
// As asm/winograd.ts (F(2×2, 3×3)): each tile kernel runs over channels [c0, c1), each channel
// whole by one thread, through a zero-padded plane per channel in `scratch` (hp × wp floats,
// hp = 2·tilesH + 4, wp = 8·⌈tilesW/4⌉ + 4), then 36 vectors of the channel's own tile scratch.
// Vectors run over four neighbouring tiles of a tile row; a tile's columns are stride 2 in the
// plane, so five loads and even/odd shuffles give a 6×6 tile row's six columns of four tiles.
// The 6×6 transforms go in two passes (rows, then columns) through the tile scratch.

/** Bytes of one channel's padded plane and tile scratch. */
// @ts-ignore: decorator
@inline function planeBytes5(tilesH: i32, tilesW: i32): usize {
  return ((<usize>((2 * tilesH + 4) * (8 * ((tilesW + 3) >> 2) + 4))) << 2) + TILE_BYTES;
}

/** The tile scratch: 36 vectors, at the end of each channel's plane. */
const TILE_BYTES: usize = 36 * 16;

/** Bᵀx (Bᵀ's rows: 4 0 −5 0 1 0 | 0 −4 −4 1 1 0 | 0 4 −4 −1 1 0 | 0 −2 −1 2 1 0 | 0 2 −1 −2 1 0 | 0 4 0 −5 0 1), stored at dst + j·stride. */
// @ts-ignore: decorator
@inline function bt6(x0: v128, x1: v128, x2: v128, x3: v128, x4: v128, x5: v128, dst: usize, stride: usize, n: i32): void {
  const four = f32x4.splat(4);
  const five = f32x4.splat(5);
  const t1 = f32x4.sub(x4, f32x4.mul(four, x2));
  const t2 = f32x4.sub(x3, f32x4.mul(four, x1));
  const t3 = f32x4.sub(x4, x2);
  const t4 = f32x4.add(f32x4.sub(x3, x1), f32x4.sub(x3, x1));
  storeLanes(dst, f32x4.add(f32x4.sub(f32x4.mul(four, x0), f32x4.mul(five, x2)), x4), n);
  storeLanes(dst + stride, f32x4.add(t1, t2), n);
  storeLanes(dst + 2 * stride, f32x4.sub(t1, t2), n);
  storeLanes(dst + 3 * stride, f32x4.add(t3, t4), n);
  storeLanes(dst + 4 * stride, f32x4.sub(t3, t4), n);
  storeLanes(dst + 5 * stride, f32x4.add(f32x4.sub(f32x4.mul(four, x1), f32x4.mul(five, x3)), x5), n);
}

/** B x (Bᵀ's columns), stored at dst + k·stride. */
// @ts-ignore: decorator
@inline function b6(x0: v128, x1: v128, x2: v128, x3: v128, x4: v128, x5: v128, dst: usize, stride: usize): void {
  const four = f32x4.splat(4);
  const five = f32x4.splat(5);
  const p = f32x4.sub(x2, x1);
  const q = f32x4.sub(x4, x3);
  const s = f32x4.add(x1, x2);
  const t = f32x4.add(x3, x4);
  v128.store(dst, f32x4.mul(four, x0));
  v128.store(dst + stride, f32x4.add(f32x4.add(f32x4.mul(four, p), f32x4.add(q, q)), f32x4.mul(four, x5)));
  v128.store(dst + 2 * stride, f32x4.sub(f32x4.sub(f32x4.neg(f32x4.mul(five, x0)), f32x4.mul(four, s)), t));
  v128.store(dst + 3 * stride, f32x4.sub(f32x4.sub(f32x4.neg(p), f32x4.add(q, q)), f32x4.mul(five, x5)));
  v128.store(dst + 4 * stride, f32x4.add(f32x4.add(x0, s), t));
  v128.store(dst + 5 * stride, x5);
}

/** A's expansion of (a, b) (Aᵀ's rows 1 1 1 1 1 0 | 0 1 −1 2 −2 1): a, a + b, a − b, a + 2b, a − 2b, b at dst + j·stride. */
// @ts-ignore: decorator
@inline function expand6(a: v128, b: v128, dst: usize, stride: usize, n: i32): void {
  const b2 = f32x4.add(b, b);
  storeLanes(dst, a, n);
  storeLanes(dst + stride, f32x4.add(a, b), n);
  storeLanes(dst + 2 * stride, f32x4.sub(a, b), n);
  storeLanes(dst + 3 * stride, f32x4.add(a, b2), n);
  storeLanes(dst + 4 * stride, f32x4.sub(a, b2), n);
  storeLanes(dst + 5 * stride, b, n);
}

/** Adds v to the vector at dst. */
// @ts-ignore: decorator
@inline function addInto(dst: usize, v: v128): void {
  v128.store(dst, f32x4.add(v128.load(dst), v));
}

/** V[ξ][c][t] = (Bᵀ d B)[ξ] for channels [c0, c1) of x (NCHW). */
export function winograd5InputChannels(
  x: usize, v: usize, scratch: usize, batch: i32, channels: i32, height: i32, width: i32,
  padH: i32, padW: i32, outH: i32, outW: i32, c0: i32, c1: i32,
): void {
  const tilesH = (outH + 1) >> 1;
  const tilesW = (outW + 1) >> 1;
  const tiles = tilesH * tilesW;
  const total = batch * tiles;
  const groups = (tilesW + 3) >> 2;
  const wp = 8 * groups + 4;
  const rowBytes = (<usize>wp) << 2;
  const bytes = planeBytes5(tilesH, tilesW);
  const pointBytes = (<usize>(channels * total)) << 2;
  for (let c = c0; c < c1; c++) {
    const plane = scratch + <usize>c * bytes;
    const tile = plane + bytes - TILE_BYTES;
    // Each image overwrites the interior; the padding around it stays zero.
    zeroBytes(plane, bytes - TILE_BYTES);
    for (let b = 0; b < batch; b++) {
      const image = x + ((<usize>((b * channels + c) * height * width)) << 2);
      copyRect(image, width, plane + ((<usize>(padH * wp + padW)) << 2), wp, height, width);
      const out = v + ((<usize>(c * total + b * tiles)) << 2);
      for (let ty = 0; ty < tilesH; ty++) {
        const rowAt = plane + <usize>(2 * ty) * rowBytes;
        for (let gi = 0; gi < groups; gi++) {
          // A short group's extra lanes spill onto the next tiles (written later by this same
          // loop), but never past this channel's last tile.
          const n = min(4, total - (b * tiles + ty * tilesW + 4 * gi));
          const at = rowAt + (<usize>(32 * gi));
          // Rows: e[r][j] = Σ_k d[r][k] Bᵀ[j][k] into the tile scratch at (6r + j).
          for (let r = 0; r < 6; r++) {
            const ra = at + <usize>r * rowBytes;
            const l0 = v128.load(ra);
            const l8 = v128.load(ra, 8);
            const l16 = v128.load(ra, 16);
            const l24 = v128.load(ra, 24);
            const l32 = v128.load(ra, 32);
            bt6(evens(l0, l16), odds(l0, l16), evens(l8, l24), odds(l8, l24), evens(l16, l32), odds(l16, l32), tile + <usize>(96 * r), 16, 4);
          }
          // Columns: V[6i + j] = Σ_r Bᵀ[i][r] e[r][j].
          const dst = out + ((<usize>(ty * tilesW + 4 * gi)) << 2);
          for (let j = 0; j < 6; j++) {
            const e = tile + <usize>(16 * j);
            bt6(v128.load(e), v128.load(e, 96), v128.load(e, 192), v128.load(e, 288), v128.load(e, 384), v128.load(e, 480), dst + <usize>j * pointBytes, 6 * pointBytes, n);
          }
        }
      }
    }
  }
}

/** y[b, o] = Aᵀ M A + bias[o] (then ReLU when `relu`) for output channels [o0, o1). */
export function winograd5OutputChannels(
  relu: i32, m: usize, bias: usize, y: usize, scratch: usize, batch: i32, outC: i32, outH: i32, outW: i32, o0: i32, o1: i32,
): void {
  const tilesH = (outH + 1) >> 1;
  const tilesW = (outW + 1) >> 1;
  const tiles = tilesH * tilesW;
  const total = batch * tiles;
  const groups = (tilesW + 3) >> 2;
  const wp = 8 * groups + 4;
  const rowBytes = (<usize>wp) << 2;
  const bytes = planeBytes5(tilesH, tilesW);
  const pointBytes = (<usize>(outC * total)) << 2;
  const two = f32x4.splat(2);
  for (let o = o0; o < o1; o++) {
    const plane = scratch + <usize>o * bytes;
    const tile = plane + bytes - TILE_BYTES;
    const add = f32x4.splat(bias ? load<f32>(bias + ((<usize>o) << 2)) : 0);
    for (let b = 0; b < batch; b++) {
      const src = m + ((<usize>(o * total + b * tiles)) << 2);
      for (let ty = 0; ty < tilesH; ty++) {
        const rowAt = plane + <usize>(2 * ty) * rowBytes;
        for (let gi = 0; gi < groups; gi++) {
          // A short group's extra lanes spill onto the next tiles (written later by this same
          // loop), but never past this channel's last tile.
          const n = min(4, total - (b * tiles + ty * tilesW + 4 * gi));
          const at = src + ((<usize>(ty * tilesW + 4 * gi)) << 2);
          // Rows: s[i][0] = Σ_j Aᵀ[0][j] M[6i + j], s[i][1] likewise with Aᵀ[1], into the tile scratch at (2i, 2i + 1).
          for (let i = 0; i < 6; i++) {
            const p = at + <usize>(6 * i) * pointBytes;
            const m0 = loadLanes(p, n);
            const m1 = loadLanes(p + pointBytes, n);
            const m2 = loadLanes(p + 2 * pointBytes, n);
            const m3 = loadLanes(p + 3 * pointBytes, n);
            const m4 = loadLanes(p + 4 * pointBytes, n);
            const m5 = loadLanes(p + 5 * pointBytes, n);
            const s = tile + <usize>(32 * i);
            v128.store(s, f32x4.add(f32x4.add(f32x4.add(m0, m1), f32x4.add(m2, m3)), m4));
            v128.store(s, f32x4.add(f32x4.add(f32x4.sub(m1, m2), f32x4.mul(two, f32x4.sub(m3, m4))), m5), 16);
          }
          // Columns: y[0][j] = Σ_i Aᵀ[0][i] s[i][j], y[1][j] with Aᵀ[1].
          const s00 = v128.load(tile);
          const s01 = v128.load(tile, 16);
          const s10 = v128.load(tile, 32);
          const s11 = v128.load(tile, 48);
          const s20 = v128.load(tile, 64);
          const s21 = v128.load(tile, 80);
          const s30 = v128.load(tile, 96);
          const s31 = v128.load(tile, 112);
          const s40 = v128.load(tile, 128);
          const s41 = v128.load(tile, 144);
          const s50 = v128.load(tile, 160);
          const s51 = v128.load(tile, 176);
          const row0 = rowAt + (<usize>(32 * gi));
          storeTileRow(
            row0,
            f32x4.add(f32x4.add(f32x4.add(f32x4.add(s00, s10), f32x4.add(s20, s30)), s40), add),
            f32x4.add(f32x4.add(f32x4.add(f32x4.add(s01, s11), f32x4.add(s21, s31)), s41), add),
            relu,
          );
          storeTileRow(
            row0 + rowBytes,
            f32x4.add(f32x4.add(f32x4.add(f32x4.sub(s10, s20), f32x4.mul(two, f32x4.sub(s30, s40))), s50), add),
            f32x4.add(f32x4.add(f32x4.add(f32x4.sub(s11, s21), f32x4.mul(two, f32x4.sub(s31, s41))), s51), add),
            relu,
          );
        }
      }
      copyRect(plane, wp, y + ((<usize>((b * outC + o) * outH * outW)) << 2), outW, outH, outW);
    }
  }
}

/**
 * dM = A gY Aᵀ per tile for output channels [o0, o1), gY = dy masked by y > 0 when y is given;
 * dBias[o] (+)= Σ gY when dBias is given.
 */
export function winograd5OutputGradientChannels(
  dy: usize, y: usize, dm: usize, dBias: usize, scratch: usize, batch: i32, outC: i32, outH: i32, outW: i32, accumulate: i32, o0: i32, o1: i32,
): void {
  const tilesH = (outH + 1) >> 1;
  const tilesW = (outW + 1) >> 1;
  const tiles = tilesH * tilesW;
  const total = batch * tiles;
  const groups = (tilesW + 3) >> 2;
  const wp = 8 * groups + 4;
  const rowBytes = (<usize>wp) << 2;
  const bytes = planeBytes5(tilesH, tilesW);
  const pointBytes = (<usize>(outC * total)) << 2;
  for (let o = o0; o < o1; o++) {
    const plane = scratch + <usize>o * bytes;
    const tile = plane + bytes - TILE_BYTES;
    let sums = f32x4.splat(0);
    // Each image overwrites outH × outW; the rest (read by edge tiles) stays zero.
    zeroBytes(plane, bytes - TILE_BYTES);
    for (let b = 0; b < batch; b++) {
      sums = maskedGradientImage(dy, y, (<usize>((b * outC + o) * outH * outW)) << 2, plane, rowBytes, outH, outW, sums);
      const out = dm + ((<usize>(o * total + b * tiles)) << 2);
      for (let ty = 0; ty < tilesH; ty++) {
        const rowAt = plane + <usize>(2 * ty) * rowBytes;
        for (let gi = 0; gi < groups; gi++) {
          // A short group's extra lanes spill onto the next tiles (written later by this same
          // loop), but never past this channel's last tile.
          const n = min(4, total - (b * tiles + ty * tilesW + 4 * gi));
          const r0 = rowAt + (<usize>(32 * gi));
          const a0 = v128.load(r0);
          const b0 = v128.load(r0, 16);
          const a1 = v128.load(r0 + rowBytes);
          const b1 = v128.load(r0 + rowBytes, 16);
          // Columns of the tile: u[i][j] = A's expansion of (gY[0][j], gY[1][j]), into the tile scratch at (i) and (6 + i).
          expand6(evens(a0, b0), evens(a1, b1), tile, 16, 4);
          expand6(odds(a0, b0), odds(a1, b1), tile + 96, 16, 4);
          // Rows: dM[6i + j] = A's expansion of (u[i][0], u[i][1]).
          const dst = out + ((<usize>(ty * tilesW + 4 * gi)) << 2);
          for (let i = 0; i < 6; i++) {
            const u = tile + <usize>(16 * i);
            expand6(v128.load(u), v128.load(u, 96), dst + <usize>(6 * i) * pointBytes, pointBytes, n);
          }
        }
      }
    }
    if (dBias) storeBiasSum(dBias, o, sums, accumulate);
  }
}

/** dx (overwritten) = Σ over tiles of B dV Bᵀ on each tile's window, for channels [c0, c1); the padding's share is dropped. */
export function winograd5InputGradientChannels(
  dv: usize, dx: usize, scratch: usize, batch: i32, channels: i32, height: i32, width: i32,
  padH: i32, padW: i32, outH: i32, outW: i32, c0: i32, c1: i32,
): void {
  const tilesH = (outH + 1) >> 1;
  const tilesW = (outW + 1) >> 1;
  const tiles = tilesH * tilesW;
  const total = batch * tiles;
  const groups = (tilesW + 3) >> 2;
  const wp = 8 * groups + 4;
  const rowBytes = (<usize>wp) << 2;
  const bytes = planeBytes5(tilesH, tilesW);
  const pointBytes = (<usize>(channels * total)) << 2;
  const lane = i32x4(0, 1, 2, 3);
  for (let c = c0; c < c1; c++) {
    const plane = scratch + <usize>c * bytes;
    const tile = plane + bytes - TILE_BYTES;
    for (let b = 0; b < batch; b++) {
      zeroBytes(plane, bytes - TILE_BYTES);
      const src = dv + ((<usize>(c * total + b * tiles)) << 2);
      for (let ty = 0; ty < tilesH; ty++) {
        const rowAt = plane + <usize>(2 * ty) * rowBytes;
        for (let gi = 0; gi < groups; gi++) {
          // A short group's extra lanes spill onto the next tiles (written later by this same
          // loop), but never past this channel's last tile.
          const n = min(4, total - (b * tiles + ty * tilesW + 4 * gi));
          const at = src + ((<usize>(ty * tilesW + 4 * gi)) << 2);
          // The extra lanes of a short group (other tiles' values) must add nothing.
          const keep = i32x4.lt_s(lane, i32x4.splat(tilesW - 4 * gi));
          // Rows: z[i][k] = Σ_j dV[6i + j] Bᵀ[j][k] into the tile scratch at (6i + k).
          for (let i = 0; i < 6; i++) {
            const p = at + <usize>(6 * i) * pointBytes;
            b6(
              v128.and(loadLanes(p, n), keep),
              v128.and(loadLanes(p + pointBytes, n), keep),
              v128.and(loadLanes(p + 2 * pointBytes, n), keep),
              v128.and(loadLanes(p + 3 * pointBytes, n), keep),
              v128.and(loadLanes(p + 4 * pointBytes, n), keep),
              v128.and(loadLanes(p + 5 * pointBytes, n), keep),
              tile + <usize>(96 * i),
              16,
            );
          }
          // Columns, in place (each column's six are read before they are written): W[r][k] = Σ_i Bᵀ[i][r] z[i][k].
          for (let k = 0; k < 6; k++) {
            const z = tile + <usize>(16 * k);
            b6(v128.load(z), v128.load(z, 96), v128.load(z, 192), v128.load(z, 288), v128.load(z, 384), v128.load(z, 480), z, 96);
          }
          // Each row r of W onto the plane: columns k and k + 1 of four tiles interleave into eight
          // neighbouring floats at 2·tile + k; the three pairs sum into a twelve-float window first,
          // added with three aligned vectors (overlapping unaligned read-modify-writes stall on
          // store forwarding: this pass took 3× the others).
          const zero = f32x4.splat(0);
          for (let r = 0; r < 6; r++) {
            const w = tile + <usize>(96 * r);
            const w0 = v128.load(w);
            const w1 = v128.load(w, 16);
            const w2 = v128.load(w, 32);
            const w3 = v128.load(w, 48);
            const w4 = v128.load(w, 64);
            const w5 = v128.load(w, 80);
            const p1a = v128.shuffle<f32>(w2, w3, 0, 4, 1, 5);
            const p1b = v128.shuffle<f32>(w2, w3, 2, 6, 3, 7);
            const lo = f32x4.add(v128.shuffle<f32>(w0, w1, 0, 4, 1, 5), v128.shuffle<f32>(zero, p1a, 0, 1, 4, 5));
            const mid = f32x4.add(
              f32x4.add(v128.shuffle<f32>(w0, w1, 2, 6, 3, 7), v128.shuffle<f32>(p1a, p1b, 2, 3, 4, 5)),
              v128.shuffle<f32>(w4, w5, 0, 4, 1, 5),
            );
            const hi = f32x4.add(v128.shuffle<f32>(p1b, zero, 2, 3, 4, 5), v128.shuffle<f32>(w4, w5, 2, 6, 3, 7));
            const q = rowAt + <usize>r * rowBytes + (<usize>(32 * gi));
            addInto(q, lo);
            addInto(q + 16, mid);
            addInto(q + 32, hi);
          }
        }
      }
      const image = dx + ((<usize>((b * channels + c) * height * width)) << 2);
      copyRect(plane + ((<usize>(padH * wp + padW)) << 2), wp, image, width, height, width);
    }
  }
}

/** G[i][k] (6×5; points 0, 1, −1, 2, −2, ∞): 1/4 0 0 0 0 | −1/6 ×5 | ∓1/6 | 2^k/24 | (−2)^k/24 | 0 0 0 0 1. */
// @ts-ignore: decorator
@inline function gEntry(i: i32, k: i32): f32 {
  if (i == 0) return k == 0 ? 0.25 : 0;
  if (i == 1) return -1.0 / 6;
  if (i == 2) return k & 1 ? 1.0 / 6 : -1.0 / 6;
  if (i == 5) return k == 4 ? 1 : 0;
  const p = <f32>(1 << k) / 24;
  return i == 4 && k & 1 ? -p : p;
}

/** Lane l of filter f + l's weight w[f + l][e] (25 floats a filter), n of them, zeros in the rest. */
// @ts-ignore: decorator
@inline function gatherFilters(w: usize, f: i32, e: i32, n: i32): v128 {
  const at = w + ((<usize>(f * 25 + e)) << 2);
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(at));
  if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(at, 100));
  if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(at, 200));
  if (n > 3) v = f32x4.replace_lane(v, 3, load<f32>(at, 300));
  return v;
}

/** U[ξ][o][c] = (G w[o, c] Gᵀ)[ξ] for a [outC, inC, 5, 5] weight, four filters a vector. */
export function winograd5Weights(w: usize, u: usize, outC: i32, inC: i32): void {
  const filters = outC * inC;
  const pointBytes = (<usize>filters) << 2;
  for (let f = 0; f < filters; f += 4) {
    const n = min(4, filters - f);
    const dst = u + ((<usize>f) << 2);
    // Columns: mid[i][j] = Σ_k G[i][k] w[k][j], into U's slots 6i + j (j < 5).
    for (let j = 0; j < 5; j++) {
      const g0 = gatherFilters(w, f, j, n);
      const g1 = gatherFilters(w, f, 5 + j, n);
      const g2 = gatherFilters(w, f, 10 + j, n);
      const g3 = gatherFilters(w, f, 15 + j, n);
      const g4 = gatherFilters(w, f, 20 + j, n);
      for (let i = 0; i < 6; i++) {
        const s = f32x4.add(
          f32x4.add(f32x4.add(f32x4.mul(f32x4.splat(gEntry(i, 0)), g0), f32x4.mul(f32x4.splat(gEntry(i, 1)), g1)), f32x4.mul(f32x4.splat(gEntry(i, 2)), g2)),
          f32x4.add(f32x4.mul(f32x4.splat(gEntry(i, 3)), g3), f32x4.mul(f32x4.splat(gEntry(i, 4)), g4)),
        );
        storeLanes(dst + <usize>(6 * i + j) * pointBytes, s, n);
      }
    }
    // Rows, in place (a row's five are read before its six are written): U[6i + l] = Σ_j mid[i][j] G[l][j].
    for (let i = 0; i < 6; i++) {
      const row = dst + <usize>(6 * i) * pointBytes;
      const m0 = loadLanes(row, n);
      const m1 = loadLanes(row + pointBytes, n);
      const m2 = loadLanes(row + 2 * pointBytes, n);
      const m3 = loadLanes(row + 3 * pointBytes, n);
      const m4 = loadLanes(row + 4 * pointBytes, n);
      for (let l = 0; l < 6; l++) {
        const s = f32x4.add(
          f32x4.add(f32x4.add(f32x4.mul(m0, f32x4.splat(gEntry(l, 0))), f32x4.mul(m1, f32x4.splat(gEntry(l, 1)))), f32x4.mul(m2, f32x4.splat(gEntry(l, 2)))),
          f32x4.add(f32x4.mul(m3, f32x4.splat(gEntry(l, 3))), f32x4.mul(m4, f32x4.splat(gEntry(l, 4)))),
        );
        storeLanes(row + <usize>l * pointBytes, s, n);
      }
    }
  }
}

/** Σ_i G[i][k] dU[6i + j] of four filters at src (n of them). */
// @ts-ignore: decorator
@inline function gtColumn(src: usize, pointBytes: usize, j: i32, k: i32, n: i32): v128 {
  let s = f32x4.splat(0);
  for (let i = 0; i < 6; i++) s = f32x4.add(s, f32x4.mul(f32x4.splat(gEntry(i, k)), loadLanes(src + <usize>(6 * i + j) * pointBytes, n)));
  return s;
}

/** dW[o, c] (+)= Gᵀ dU[·][o][c] G, four filters a vector. */
export function winograd5WeightGradient(du: usize, dw: usize, outC: i32, inC: i32, accumulate: i32): void {
  const filters = outC * inC;
  const pointBytes = (<usize>filters) << 2;
  for (let f = 0; f < filters; f += 4) {
    const n = min(4, filters - f);
    const src = du + ((<usize>f) << 2);
    for (let k = 0; k < 5; k++) {
      // mid[k][j] = Σ_i G[i][k] dU[6i + j]; then dW[k][l] (+)= Σ_j mid[k][j] G[j][l], lane by lane into each filter's 5×5.
      const m0 = gtColumn(src, pointBytes, 0, k, n);
      const m1 = gtColumn(src, pointBytes, 1, k, n);
      const m2 = gtColumn(src, pointBytes, 2, k, n);
      const m3 = gtColumn(src, pointBytes, 3, k, n);
      const m4 = gtColumn(src, pointBytes, 4, k, n);
      const m5 = gtColumn(src, pointBytes, 5, k, n);
      for (let l = 0; l < 5; l++) {
        const s = f32x4.add(
          f32x4.add(f32x4.add(f32x4.mul(m0, f32x4.splat(gEntry(0, l))), f32x4.mul(m1, f32x4.splat(gEntry(1, l)))), f32x4.mul(m2, f32x4.splat(gEntry(2, l)))),
          f32x4.add(f32x4.add(f32x4.mul(m3, f32x4.splat(gEntry(3, l))), f32x4.mul(m4, f32x4.splat(gEntry(4, l)))), f32x4.mul(m5, f32x4.splat(gEntry(5, l)))),
        );
        const at = dw + ((<usize>(f * 25 + 5 * k + l)) << 2);
        store<f32>(at, (accumulate ? load<f32>(at) : 0) + f32x4.extract_lane(s, 0));
        if (n > 1) store<f32>(at, (accumulate ? load<f32>(at, 100) : 0) + f32x4.extract_lane(s, 1), 100);
        if (n > 2) store<f32>(at, (accumulate ? load<f32>(at, 200) : 0) + f32x4.extract_lane(s, 2), 200);
        if (n > 3) store<f32>(at, (accumulate ? load<f32>(at, 300) : 0) + f32x4.extract_lane(s, 3), 300);
      }
    }
  }
}

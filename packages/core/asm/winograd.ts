import { copyRect, evens, loadLanes, maskedGradientImage, odds, storeBiasSum, storeLanes, storeTileRow } from './lanes';
// Winograd F(2×2, 3×3) transforms (Lavin & Gray), the SIMD kernels behind the wasm backend's
// winograd* kernels; the maths and the layouts are the reference's (src/backend/js/winograd.ts):
// Winograd-domain buffers are [16][channels][batch·tiles], tile t = image·tiles + ty·tilesW + tx.
//
// Each kernel runs over channels [c0, c1) (a thread's share; every value of a channel, the bias
// gradient's sum included, is computed by one thread in one order, so the bits do not depend on
// the split) and works through a zero-padded plane per channel in `scratch` (hp × wp floats,
// hp = 2·tilesH + 2, wp = 8·⌈tilesW/4⌉ + 4), so the inner loops need no bounds checks. Vectors
// run over four neighbouring tiles of a tile row: a tile's columns are stride 2 in the plane, so
// two loads and an even/odd shuffle give one column of four tiles. A row's last group of fewer
// than four tiles loads and stores only its own lanes.
import { zeroBytes } from './zero';

/** Bytes of one channel's padded plane. */
// @ts-ignore: decorator
@inline function planeBytes(tilesH: i32, tilesW: i32): usize {
  return (<usize>((2 * tilesH + 2) * (8 * ((tilesW + 3) >> 2) + 4))) << 2;
}

/** V[ξ][c][t] = (Bᵀ d B)[ξ] for channels [c0, c1) of x (NCHW). */
export function winogradInputChannels(
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
  const bytes = planeBytes(tilesH, tilesW);
  const pointBytes = (<usize>(channels * total)) << 2;
  for (let c = c0; c < c1; c++) {
    const plane = scratch + <usize>c * bytes;
    // Each image overwrites the interior; the padding around it stays zero.
    zeroBytes(plane, bytes);
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
          const r0 = at + <usize>0 * rowBytes;
          const a0 = v128.load(r0);
          const b0 = v128.load(r0, 16);
          const c0 = v128.load(r0, 8);
          const d0 = v128.load(r0, 24);
          const x00 = evens(a0, b0);
          const x01 = odds(a0, b0);
          const x02 = evens(c0, d0);
          const x03 = odds(c0, d0);
          const e00 = f32x4.sub(x00, x02);
          const e01 = f32x4.add(x01, x02);
          const e02 = f32x4.sub(x02, x01);
          const e03 = f32x4.sub(x01, x03);
          const r1 = at + <usize>1 * rowBytes;
          const a1 = v128.load(r1);
          const b1 = v128.load(r1, 16);
          const c1 = v128.load(r1, 8);
          const d1 = v128.load(r1, 24);
          const x10 = evens(a1, b1);
          const x11 = odds(a1, b1);
          const x12 = evens(c1, d1);
          const x13 = odds(c1, d1);
          const e10 = f32x4.sub(x10, x12);
          const e11 = f32x4.add(x11, x12);
          const e12 = f32x4.sub(x12, x11);
          const e13 = f32x4.sub(x11, x13);
          const r2 = at + <usize>2 * rowBytes;
          const a2 = v128.load(r2);
          const b2 = v128.load(r2, 16);
          const c2 = v128.load(r2, 8);
          const d2 = v128.load(r2, 24);
          const x20 = evens(a2, b2);
          const x21 = odds(a2, b2);
          const x22 = evens(c2, d2);
          const x23 = odds(c2, d2);
          const e20 = f32x4.sub(x20, x22);
          const e21 = f32x4.add(x21, x22);
          const e22 = f32x4.sub(x22, x21);
          const e23 = f32x4.sub(x21, x23);
          const r3 = at + <usize>3 * rowBytes;
          const a3 = v128.load(r3);
          const b3 = v128.load(r3, 16);
          const c3 = v128.load(r3, 8);
          const d3 = v128.load(r3, 24);
          const x30 = evens(a3, b3);
          const x31 = odds(a3, b3);
          const x32 = evens(c3, d3);
          const x33 = odds(c3, d3);
          const e30 = f32x4.sub(x30, x32);
          const e31 = f32x4.add(x31, x32);
          const e32 = f32x4.sub(x32, x31);
          const e33 = f32x4.sub(x31, x33);
          const dst = out + ((<usize>(ty * tilesW + 4 * gi)) << 2);
          storeLanes(dst + <usize>0 * pointBytes, f32x4.sub(e00, e20), n);
          storeLanes(dst + <usize>4 * pointBytes, f32x4.add(e10, e20), n);
          storeLanes(dst + <usize>8 * pointBytes, f32x4.sub(e20, e10), n);
          storeLanes(dst + <usize>12 * pointBytes, f32x4.sub(e10, e30), n);
          storeLanes(dst + <usize>1 * pointBytes, f32x4.sub(e01, e21), n);
          storeLanes(dst + <usize>5 * pointBytes, f32x4.add(e11, e21), n);
          storeLanes(dst + <usize>9 * pointBytes, f32x4.sub(e21, e11), n);
          storeLanes(dst + <usize>13 * pointBytes, f32x4.sub(e11, e31), n);
          storeLanes(dst + <usize>2 * pointBytes, f32x4.sub(e02, e22), n);
          storeLanes(dst + <usize>6 * pointBytes, f32x4.add(e12, e22), n);
          storeLanes(dst + <usize>10 * pointBytes, f32x4.sub(e22, e12), n);
          storeLanes(dst + <usize>14 * pointBytes, f32x4.sub(e12, e32), n);
          storeLanes(dst + <usize>3 * pointBytes, f32x4.sub(e03, e23), n);
          storeLanes(dst + <usize>7 * pointBytes, f32x4.add(e13, e23), n);
          storeLanes(dst + <usize>11 * pointBytes, f32x4.sub(e23, e13), n);
          storeLanes(dst + <usize>15 * pointBytes, f32x4.sub(e13, e33), n);
        }
      }
    }
  }
}

/** y[b, o] = Aᵀ M A + bias[o] (then ReLU when `relu`) for output channels [o0, o1). */
export function winogradOutputChannels(
  relu: i32, m: usize, bias: usize, y: usize, scratch: usize, batch: i32, outC: i32, outH: i32, outW: i32, o0: i32, o1: i32,
): void {
  const tilesH = (outH + 1) >> 1;
  const tilesW = (outW + 1) >> 1;
  const tiles = tilesH * tilesW;
  const total = batch * tiles;
  const groups = (tilesW + 3) >> 2;
  const wp = 8 * groups + 4;
  const rowBytes = (<usize>wp) << 2;
  const bytes = planeBytes(tilesH, tilesW);
  const pointBytes = (<usize>(outC * total)) << 2;
  for (let o = o0; o < o1; o++) {
    const plane = scratch + <usize>o * bytes;
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
          const m0 = loadLanes(at + <usize>0 * pointBytes, n);
          const m1 = loadLanes(at + <usize>1 * pointBytes, n);
          const m2 = loadLanes(at + <usize>2 * pointBytes, n);
          const m3 = loadLanes(at + <usize>3 * pointBytes, n);
          const m4 = loadLanes(at + <usize>4 * pointBytes, n);
          const m5 = loadLanes(at + <usize>5 * pointBytes, n);
          const m6 = loadLanes(at + <usize>6 * pointBytes, n);
          const m7 = loadLanes(at + <usize>7 * pointBytes, n);
          const m8 = loadLanes(at + <usize>8 * pointBytes, n);
          const m9 = loadLanes(at + <usize>9 * pointBytes, n);
          const m10 = loadLanes(at + <usize>10 * pointBytes, n);
          const m11 = loadLanes(at + <usize>11 * pointBytes, n);
          const m12 = loadLanes(at + <usize>12 * pointBytes, n);
          const m13 = loadLanes(at + <usize>13 * pointBytes, n);
          const m14 = loadLanes(at + <usize>14 * pointBytes, n);
          const m15 = loadLanes(at + <usize>15 * pointBytes, n);
          const s00 = f32x4.add(f32x4.add(m0, m4), m8);
          const s10 = f32x4.sub(f32x4.sub(m4, m8), m12);
          const s01 = f32x4.add(f32x4.add(m1, m5), m9);
          const s11 = f32x4.sub(f32x4.sub(m5, m9), m13);
          const s02 = f32x4.add(f32x4.add(m2, m6), m10);
          const s12 = f32x4.sub(f32x4.sub(m6, m10), m14);
          const s03 = f32x4.add(f32x4.add(m3, m7), m11);
          const s13 = f32x4.sub(f32x4.sub(m7, m11), m15);
          const row0 = rowAt + (<usize>(32 * gi));
          storeTileRow(row0, f32x4.add(f32x4.add(f32x4.add(s00, s01), s02), add), f32x4.add(f32x4.sub(f32x4.sub(s01, s02), s03), add), relu);
          storeTileRow(row0 + rowBytes, f32x4.add(f32x4.add(f32x4.add(s10, s11), s12), add), f32x4.add(f32x4.sub(f32x4.sub(s11, s12), s13), add), relu);
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
export function winogradOutputGradientChannels(
  dy: usize, y: usize, dm: usize, dBias: usize, scratch: usize, batch: i32, outC: i32, outH: i32, outW: i32, accumulate: i32, o0: i32, o1: i32,
): void {
  const tilesH = (outH + 1) >> 1;
  const tilesW = (outW + 1) >> 1;
  const tiles = tilesH * tilesW;
  const total = batch * tiles;
  const groups = (tilesW + 3) >> 2;
  const wp = 8 * groups + 4;
  const rowBytes = (<usize>wp) << 2;
  const bytes = planeBytes(tilesH, tilesW);
  const pointBytes = (<usize>(outC * total)) << 2;
  for (let o = o0; o < o1; o++) {
    const plane = scratch + <usize>o * bytes;
    let sums = f32x4.splat(0);
    // Each image overwrites outH × outW; the rest (read by edge tiles) stays zero.
    zeroBytes(plane, bytes);
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
          const r1 = r0 + rowBytes;
          const a0 = v128.load(r0);
          const b0 = v128.load(r0, 16);
          const a1 = v128.load(r1);
          const b1 = v128.load(r1, 16);
          const y00 = evens(a0, b0);
          const y01 = odds(a0, b0);
          const y10 = evens(a1, b1);
          const y11 = odds(a1, b1);
          const u00 = y00;
          const u10 = f32x4.add(y00, y10);
          const u20 = f32x4.sub(y00, y10);
          const u30 = f32x4.neg(y10);
          const u01 = y01;
          const u11 = f32x4.add(y01, y11);
          const u21 = f32x4.sub(y01, y11);
          const u31 = f32x4.neg(y11);
          const dst = out + ((<usize>(ty * tilesW + 4 * gi)) << 2);
          storeLanes(dst + <usize>0 * pointBytes, u00, n);
          storeLanes(dst + <usize>1 * pointBytes, f32x4.add(u00, u01), n);
          storeLanes(dst + <usize>2 * pointBytes, f32x4.sub(u00, u01), n);
          storeLanes(dst + <usize>3 * pointBytes, f32x4.neg(u01), n);
          storeLanes(dst + <usize>4 * pointBytes, u10, n);
          storeLanes(dst + <usize>5 * pointBytes, f32x4.add(u10, u11), n);
          storeLanes(dst + <usize>6 * pointBytes, f32x4.sub(u10, u11), n);
          storeLanes(dst + <usize>7 * pointBytes, f32x4.neg(u11), n);
          storeLanes(dst + <usize>8 * pointBytes, u20, n);
          storeLanes(dst + <usize>9 * pointBytes, f32x4.add(u20, u21), n);
          storeLanes(dst + <usize>10 * pointBytes, f32x4.sub(u20, u21), n);
          storeLanes(dst + <usize>11 * pointBytes, f32x4.neg(u21), n);
          storeLanes(dst + <usize>12 * pointBytes, u30, n);
          storeLanes(dst + <usize>13 * pointBytes, f32x4.add(u30, u31), n);
          storeLanes(dst + <usize>14 * pointBytes, f32x4.sub(u30, u31), n);
          storeLanes(dst + <usize>15 * pointBytes, f32x4.neg(u31), n);
        }
      }
    }
    if (dBias) storeBiasSum(dBias, o, sums, accumulate);
  }
}

/** dx (overwritten) = Σ over tiles of B dV Bᵀ on each tile's window, for channels [c0, c1); the padding's share is dropped. */
export function winogradInputGradientChannels(
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
  const bytes = planeBytes(tilesH, tilesW);
  const pointBytes = (<usize>(channels * total)) << 2;
  const zero = f32x4.splat(0);
  const lane = i32x4(0, 1, 2, 3);
  for (let c = c0; c < c1; c++) {
    const plane = scratch + <usize>c * bytes;
    for (let b = 0; b < batch; b++) {
      zeroBytes(plane, bytes);
      const src = dv + ((<usize>(c * total + b * tiles)) << 2);
      for (let ty = 0; ty < tilesH; ty++) {
        const rowAt = plane + <usize>(2 * ty) * rowBytes;
        // Lane 3 of the last group's columns 2 and 3, per row: they land on the next group's first tile's columns 0 and 1.
        let p02 = zero;
        let p03 = zero;
        let p12 = zero;
        let p13 = zero;
        let p22 = zero;
        let p23 = zero;
        let p32 = zero;
        let p33 = zero;
        for (let gi = 0; gi < groups; gi++) {
          // A short group's extra lanes spill onto the next tiles (written later by this same
          // loop), but never past this channel's last tile.
          const n = min(4, total - (b * tiles + ty * tilesW + 4 * gi));
          const at = src + ((<usize>(ty * tilesW + 4 * gi)) << 2);
          // The extra lanes of a short group (other tiles' values) must add nothing.
          const keep = i32x4.lt_s(lane, i32x4.splat(tilesW - 4 * gi));
          const v0 = v128.and(loadLanes(at + <usize>0 * pointBytes, n), keep);
          const v1 = v128.and(loadLanes(at + <usize>1 * pointBytes, n), keep);
          const v2 = v128.and(loadLanes(at + <usize>2 * pointBytes, n), keep);
          const v3 = v128.and(loadLanes(at + <usize>3 * pointBytes, n), keep);
          const v4 = v128.and(loadLanes(at + <usize>4 * pointBytes, n), keep);
          const v5 = v128.and(loadLanes(at + <usize>5 * pointBytes, n), keep);
          const v6 = v128.and(loadLanes(at + <usize>6 * pointBytes, n), keep);
          const v7 = v128.and(loadLanes(at + <usize>7 * pointBytes, n), keep);
          const v8 = v128.and(loadLanes(at + <usize>8 * pointBytes, n), keep);
          const v9 = v128.and(loadLanes(at + <usize>9 * pointBytes, n), keep);
          const v10 = v128.and(loadLanes(at + <usize>10 * pointBytes, n), keep);
          const v11 = v128.and(loadLanes(at + <usize>11 * pointBytes, n), keep);
          const v12 = v128.and(loadLanes(at + <usize>12 * pointBytes, n), keep);
          const v13 = v128.and(loadLanes(at + <usize>13 * pointBytes, n), keep);
          const v14 = v128.and(loadLanes(at + <usize>14 * pointBytes, n), keep);
          const v15 = v128.and(loadLanes(at + <usize>15 * pointBytes, n), keep);
          const w00 = v0;
          const w10 = f32x4.add(f32x4.sub(v4, v8), v12);
          const w20 = f32x4.sub(f32x4.add(v4, v8), v0);
          const w30 = f32x4.neg(v12);
          const w01 = v1;
          const w11 = f32x4.add(f32x4.sub(v5, v9), v13);
          const w21 = f32x4.sub(f32x4.add(v5, v9), v1);
          const w31 = f32x4.neg(v13);
          const w02 = v2;
          const w12 = f32x4.add(f32x4.sub(v6, v10), v14);
          const w22 = f32x4.sub(f32x4.add(v6, v10), v2);
          const w32 = f32x4.neg(v14);
          const w03 = v3;
          const w13 = f32x4.add(f32x4.sub(v7, v11), v15);
          const w23 = f32x4.sub(f32x4.add(v7, v11), v3);
          const w33 = f32x4.neg(v15);
          const dd00 = w00;
          const dd01 = f32x4.add(f32x4.sub(w01, w02), w03);
          const dd02 = f32x4.sub(f32x4.add(w01, w02), w00);
          const dd03 = f32x4.neg(w03);
          const even0 = f32x4.add(dd00, v128.shuffle<f32>(p02, dd02, 3, 4, 5, 6));
          const odd0 = f32x4.add(dd01, v128.shuffle<f32>(p03, dd03, 3, 4, 5, 6));
          p02 = dd02;
          p03 = dd03;
          const q0 = rowAt + <usize>0 * rowBytes + (<usize>(32 * gi));
          v128.store(q0, f32x4.add(v128.load(q0), v128.shuffle<f32>(even0, odd0, 0, 4, 1, 5)));
          v128.store(q0, f32x4.add(v128.load(q0, 16), v128.shuffle<f32>(even0, odd0, 2, 6, 3, 7)), 16);
          const dd10 = w10;
          const dd11 = f32x4.add(f32x4.sub(w11, w12), w13);
          const dd12 = f32x4.sub(f32x4.add(w11, w12), w10);
          const dd13 = f32x4.neg(w13);
          const even1 = f32x4.add(dd10, v128.shuffle<f32>(p12, dd12, 3, 4, 5, 6));
          const odd1 = f32x4.add(dd11, v128.shuffle<f32>(p13, dd13, 3, 4, 5, 6));
          p12 = dd12;
          p13 = dd13;
          const q1 = rowAt + <usize>1 * rowBytes + (<usize>(32 * gi));
          v128.store(q1, f32x4.add(v128.load(q1), v128.shuffle<f32>(even1, odd1, 0, 4, 1, 5)));
          v128.store(q1, f32x4.add(v128.load(q1, 16), v128.shuffle<f32>(even1, odd1, 2, 6, 3, 7)), 16);
          const dd20 = w20;
          const dd21 = f32x4.add(f32x4.sub(w21, w22), w23);
          const dd22 = f32x4.sub(f32x4.add(w21, w22), w20);
          const dd23 = f32x4.neg(w23);
          const even2 = f32x4.add(dd20, v128.shuffle<f32>(p22, dd22, 3, 4, 5, 6));
          const odd2 = f32x4.add(dd21, v128.shuffle<f32>(p23, dd23, 3, 4, 5, 6));
          p22 = dd22;
          p23 = dd23;
          const q2 = rowAt + <usize>2 * rowBytes + (<usize>(32 * gi));
          v128.store(q2, f32x4.add(v128.load(q2), v128.shuffle<f32>(even2, odd2, 0, 4, 1, 5)));
          v128.store(q2, f32x4.add(v128.load(q2, 16), v128.shuffle<f32>(even2, odd2, 2, 6, 3, 7)), 16);
          const dd30 = w30;
          const dd31 = f32x4.add(f32x4.sub(w31, w32), w33);
          const dd32 = f32x4.sub(f32x4.add(w31, w32), w30);
          const dd33 = f32x4.neg(w33);
          const even3 = f32x4.add(dd30, v128.shuffle<f32>(p32, dd32, 3, 4, 5, 6));
          const odd3 = f32x4.add(dd31, v128.shuffle<f32>(p33, dd33, 3, 4, 5, 6));
          p32 = dd32;
          p33 = dd33;
          const q3 = rowAt + <usize>3 * rowBytes + (<usize>(32 * gi));
          v128.store(q3, f32x4.add(v128.load(q3), v128.shuffle<f32>(even3, odd3, 0, 4, 1, 5)));
          v128.store(q3, f32x4.add(v128.load(q3, 16), v128.shuffle<f32>(even3, odd3, 2, 6, 3, 7)), 16);
        }
        const tail = rowAt + (<usize>(32 * groups));
        const t0 = tail + <usize>0 * rowBytes;
        store<f32>(t0, load<f32>(t0) + f32x4.extract_lane(p02, 3));
        store<f32>(t0, load<f32>(t0, 4) + f32x4.extract_lane(p03, 3), 4);
        const t1 = tail + <usize>1 * rowBytes;
        store<f32>(t1, load<f32>(t1) + f32x4.extract_lane(p12, 3));
        store<f32>(t1, load<f32>(t1, 4) + f32x4.extract_lane(p13, 3), 4);
        const t2 = tail + <usize>2 * rowBytes;
        store<f32>(t2, load<f32>(t2) + f32x4.extract_lane(p22, 3));
        store<f32>(t2, load<f32>(t2, 4) + f32x4.extract_lane(p23, 3), 4);
        const t3 = tail + <usize>3 * rowBytes;
        store<f32>(t3, load<f32>(t3) + f32x4.extract_lane(p32, 3));
        store<f32>(t3, load<f32>(t3, 4) + f32x4.extract_lane(p33, 3), 4);
      }
      const image = dx + ((<usize>((b * channels + c) * height * width)) << 2);
      copyRect(plane + ((<usize>(padH * wp + padW)) << 2), wp, image, width, height, width);
    }
  }
}

/** U[ξ][o][c] = (G w[o, c] Gᵀ)[ξ] for a [outC, inC, 3, 3] weight. */
export function winogradWeights(w: usize, u: usize, outC: i32, inC: i32): void {
  const filters = outC * inC;
  const pointBytes = (<usize>filters) << 2;
  for (let f = 0; f < filters; f++) {
    const g = w + <usize>(36 * f);
    const dst = u + ((<usize>f) << 2);
    const g0 = load<f32>(g, 0);
    const g1 = load<f32>(g, 4);
    const g2 = load<f32>(g, 8);
    const g3 = load<f32>(g, 12);
    const g4 = load<f32>(g, 16);
    const g5 = load<f32>(g, 20);
    const g6 = load<f32>(g, 24);
    const g7 = load<f32>(g, 28);
    const g8 = load<f32>(g, 32);
    const p00: f32 = g0;
    const p10: f32 = 0.5 * (g0 + g3 + g6);
    const p20: f32 = 0.5 * (g0 - g3 + g6);
    const p30: f32 = g6;
    const p01: f32 = g1;
    const p11: f32 = 0.5 * (g1 + g4 + g7);
    const p21: f32 = 0.5 * (g1 - g4 + g7);
    const p31: f32 = g7;
    const p02: f32 = g2;
    const p12: f32 = 0.5 * (g2 + g5 + g8);
    const p22: f32 = 0.5 * (g2 - g5 + g8);
    const p32: f32 = g8;
    store<f32>(dst + <usize>0 * pointBytes, p00);
    store<f32>(dst + <usize>1 * pointBytes, 0.5 * (p00 + p01 + p02));
    store<f32>(dst + <usize>2 * pointBytes, 0.5 * (p00 - p01 + p02));
    store<f32>(dst + <usize>3 * pointBytes, p02);
    store<f32>(dst + <usize>4 * pointBytes, p10);
    store<f32>(dst + <usize>5 * pointBytes, 0.5 * (p10 + p11 + p12));
    store<f32>(dst + <usize>6 * pointBytes, 0.5 * (p10 - p11 + p12));
    store<f32>(dst + <usize>7 * pointBytes, p12);
    store<f32>(dst + <usize>8 * pointBytes, p20);
    store<f32>(dst + <usize>9 * pointBytes, 0.5 * (p20 + p21 + p22));
    store<f32>(dst + <usize>10 * pointBytes, 0.5 * (p20 - p21 + p22));
    store<f32>(dst + <usize>11 * pointBytes, p22);
    store<f32>(dst + <usize>12 * pointBytes, p30);
    store<f32>(dst + <usize>13 * pointBytes, 0.5 * (p30 + p31 + p32));
    store<f32>(dst + <usize>14 * pointBytes, 0.5 * (p30 - p31 + p32));
    store<f32>(dst + <usize>15 * pointBytes, p32);
  }
}

/** dW[o, c] (+)= Gᵀ dU[·][o][c] G. */
export function winogradWeightGradient(du: usize, dw: usize, outC: i32, inC: i32, accumulate: i32): void {
  const filters = outC * inC;
  const pointBytes = (<usize>filters) << 2;
  for (let f = 0; f < filters; f++) {
    const src = du + ((<usize>f) << 2);
    const g = dw + <usize>(36 * f);
    const u0 = load<f32>(src + <usize>0 * pointBytes);
    const u1 = load<f32>(src + <usize>1 * pointBytes);
    const u2 = load<f32>(src + <usize>2 * pointBytes);
    const u3 = load<f32>(src + <usize>3 * pointBytes);
    const u4 = load<f32>(src + <usize>4 * pointBytes);
    const u5 = load<f32>(src + <usize>5 * pointBytes);
    const u6 = load<f32>(src + <usize>6 * pointBytes);
    const u7 = load<f32>(src + <usize>7 * pointBytes);
    const u8 = load<f32>(src + <usize>8 * pointBytes);
    const u9 = load<f32>(src + <usize>9 * pointBytes);
    const u10 = load<f32>(src + <usize>10 * pointBytes);
    const u11 = load<f32>(src + <usize>11 * pointBytes);
    const u12 = load<f32>(src + <usize>12 * pointBytes);
    const u13 = load<f32>(src + <usize>13 * pointBytes);
    const u14 = load<f32>(src + <usize>14 * pointBytes);
    const u15 = load<f32>(src + <usize>15 * pointBytes);
    const t00: f32 = u0 + 0.5 * (u4 + u8);
    const t10: f32 = 0.5 * (u4 - u8);
    const t20: f32 = 0.5 * (u4 + u8) + u12;
    const t01: f32 = u1 + 0.5 * (u5 + u9);
    const t11: f32 = 0.5 * (u5 - u9);
    const t21: f32 = 0.5 * (u5 + u9) + u13;
    const t02: f32 = u2 + 0.5 * (u6 + u10);
    const t12: f32 = 0.5 * (u6 - u10);
    const t22: f32 = 0.5 * (u6 + u10) + u14;
    const t03: f32 = u3 + 0.5 * (u7 + u11);
    const t13: f32 = 0.5 * (u7 - u11);
    const t23: f32 = 0.5 * (u7 + u11) + u15;
    store<f32>(g, (accumulate ? load<f32>(g, 0) : 0) + (t00 + 0.5 * (t01 + t02)), 0);
    store<f32>(g, (accumulate ? load<f32>(g, 4) : 0) + (0.5 * (t01 - t02)), 4);
    store<f32>(g, (accumulate ? load<f32>(g, 8) : 0) + (0.5 * (t01 + t02) + t03), 8);
    store<f32>(g, (accumulate ? load<f32>(g, 12) : 0) + (t10 + 0.5 * (t11 + t12)), 12);
    store<f32>(g, (accumulate ? load<f32>(g, 16) : 0) + (0.5 * (t11 - t12)), 16);
    store<f32>(g, (accumulate ? load<f32>(g, 20) : 0) + (0.5 * (t11 + t12) + t13), 20);
    store<f32>(g, (accumulate ? load<f32>(g, 24) : 0) + (t20 + 0.5 * (t21 + t22)), 24);
    store<f32>(g, (accumulate ? load<f32>(g, 28) : 0) + (0.5 * (t21 - t22)), 28);
    store<f32>(g, (accumulate ? load<f32>(g, 32) : 0) + (0.5 * (t21 + t22) + t23), 32);
  }
}

import { zeroBytes } from './zero';
// Direct convolution for stride-1 layers with a small patch (in·kh·kw, e.g. a first layer's
// 1×5×5): no im2col (its column matrix is patch× the input and comes back from DRAM), no GEMM
// with m = a few output channels, no channel-major reorder. The wrapper (src/backend/wasm/
// direct-conv.ts) first copies the input into zero-padded planes (convPad), so the inner loops
// need no bounds checks; rows are computed "wide" (whole vectors past the last column, into the
// padding) and only the real columns are stored. Reference: src/backend/js/direct-conv.ts.
//
// Forward: each output is Σ over taps in (c, i, j) order of w·x, each product and sum rounded to
// f32 (a multiply and an add, never fused), then + bias, then ReLU: what the reference computes
// in f32. The weight gradient sums in another order than the reference (four lanes of positions,
// images outer), so it agrees within float tolerance.

/** Copies x [planes, height, width] into planes of hp × wp with the image at (padH, padW), zeros around. */
export function convPad(x: usize, p: usize, planes: i32, height: i32, width: i32, padH: i32, padW: i32, hp: i32, wp: i32): void {
  const planeBytes = (<usize>(hp * wp)) << 2;
  const imageBytes = (<usize>(height * width)) << 2;
  for (let bc = 0; bc < planes; bc++) {
    const plane = p + <usize>bc * planeBytes;
    zeroBytes(plane, planeBytes);
    const image = x + <usize>bc * imageBytes;
    for (let r = 0; r < height; r++) {
      const src = image + ((<usize>(r * width)) << 2);
      const dst = plane + ((<usize>((r + padH) * wp + padW)) << 2);
      let k = 0;
      for (; k + 4 <= width; k += 4) v128.store(dst + (<usize>k << 2), v128.load(src + (<usize>k << 2)));
      for (; k < width; k++) store<f32>(dst + (<usize>k << 2), load<f32>(src + (<usize>k << 2)));
    }
  }
}

/** Stores the first `count` (≥ 1) lanes of v at `at`: all four with one store, fewer one by one. */
// @ts-ignore: decorator
@inline function storeLanes(at: usize, v: v128, count: i32): void {
  if (count >= 4) {
    v128.store(at, v);
    return;
  }
  store<f32>(at, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(at, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(at, f32x4.extract_lane(v, 2), 8);
}

/** + bias (when given), then max(0, ·) when relu: the epilogue of one output vector. */
// @ts-ignore: decorator
@inline function finish(v: v128, bias: v128, hasBias: bool, relu: bool): v128 {
  const z = hasBias ? f32x4.add(v, bias) : v;
  return relu ? f32x4.max(z, f32x4.splat(0)) : z;
}

/**
 * One tile of the forward pass: output channels o0 and o1 (o1 may equal o0) × `nv` vectors of a
 * row from column ox, `rest` of whose positions are real. `nv` is a constant at every call, so
 * the inlined copies keep only the accumulators they use.
 */
// @ts-ignore: decorator
@inline function forwardTile(
  nv: i32, row0: usize, planeBytes: usize, rowBytes: usize, w0: usize, w1: usize, inC: i32, kh: i32, kw: i32,
  out0: usize, out1: usize, rest: i32, bias0: v128, bias1: v128, hasBias: bool, relu: bool,
): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let tap: usize = 0;
  for (let c = 0; c < inC; c++) {
    let row = row0 + <usize>c * planeBytes;
    for (let i = 0; i < kh; i++, row += rowBytes) {
      for (let j = 0; j < kw; j++, tap += 4) {
        const at = row + ((<usize>j) << 2);
        const k0 = v128.load32_splat(w0 + tap);
        const k1 = v128.load32_splat(w1 + tap);
        let x = v128.load(at);
        a0 = f32x4.add(a0, f32x4.mul(k0, x));
        c0 = f32x4.add(c0, f32x4.mul(k1, x));
        if (nv > 1) {
          x = v128.load(at, 16);
          a1 = f32x4.add(a1, f32x4.mul(k0, x));
          c1 = f32x4.add(c1, f32x4.mul(k1, x));
        }
        if (nv > 2) {
          x = v128.load(at, 32);
          a2 = f32x4.add(a2, f32x4.mul(k0, x));
          c2 = f32x4.add(c2, f32x4.mul(k1, x));
        }
        if (nv > 3) {
          x = v128.load(at, 48);
          a3 = f32x4.add(a3, f32x4.mul(k0, x));
          c3 = f32x4.add(c3, f32x4.mul(k1, x));
        }
      }
    }
  }
  // o1 first: when o1 = o0 the o0 store (the same values) comes last either way.
  storeLanes(out1, finish(c0, bias1, hasBias, relu), rest);
  storeLanes(out0, finish(a0, bias0, hasBias, relu), rest);
  if (nv > 1 && rest > 4) {
    storeLanes(out1 + 16, finish(c1, bias1, hasBias, relu), rest - 4);
    storeLanes(out0 + 16, finish(a1, bias0, hasBias, relu), rest - 4);
  }
  if (nv > 2 && rest > 8) {
    storeLanes(out1 + 32, finish(c2, bias1, hasBias, relu), rest - 8);
    storeLanes(out0 + 32, finish(a2, bias0, hasBias, relu), rest - 8);
  }
  if (nv > 3 && rest > 12) {
    storeLanes(out1 + 48, finish(c3, bias1, hasBias, relu), rest - 12);
    storeLanes(out0 + 48, finish(a3, bias0, hasBias, relu), rest - 12);
  }
}

/**
 * y [batch, outC, outH, outW] = act(conv(p, w) + bias) for act identity (kind 0) or ReLU (1), p
 * the padded input (convPad; wp ≥ ⌈outW/16⌉·16 + kw − 1). Tiles of two output channels × 16
 * positions of a row (eight accumulators): each tap loads four input vectors and two weights; a
 * row's last tile takes as many vectors as it has positions left (28 = 16 + 12, none wasted).
 */
export function convDirectForward(
  kind: i32, p: usize, w: usize, bias: usize, y: usize,
  batch: i32, inC: i32, hp: i32, wp: i32, kh: i32, kw: i32, outC: i32, outH: i32, outW: i32,
): void {
  const relu = kind == 1;
  const hasBias = bias != 0;
  const patch = inC * kh * kw;
  const planeBytes = (<usize>(hp * wp)) << 2;
  const rowBytes = (<usize>wp) << 2;
  const outPlane = (<usize>(outH * outW)) << 2;
  for (let b = 0; b < batch; b++) {
    const image = p + <usize>(b * inC) * planeBytes;
    for (let o0 = 0; o0 < outC; o0 += 2) {
      // An odd last channel is computed twice (o1 = o0) and stored once.
      const o1 = o0 + 1 < outC ? o0 + 1 : o0;
      const w0 = w + ((<usize>(o0 * patch)) << 2);
      const w1 = w + ((<usize>(o1 * patch)) << 2);
      const bias0 = hasBias ? v128.load32_splat(bias + ((<usize>o0) << 2)) : f32x4.splat(0);
      const bias1 = hasBias ? v128.load32_splat(bias + ((<usize>o1) << 2)) : f32x4.splat(0);
      const y0 = y + <usize>(b * outC + o0) * outPlane;
      const y1 = y + <usize>(b * outC + o1) * outPlane;
      for (let oy = 0; oy < outH; oy++) {
        const row0 = image + <usize>oy * rowBytes;
        for (let ox = 0; ox < outW; ox += 16) {
          const rest = outW - ox;
          const line = (<usize>(oy * outW + ox)) << 2;
          const from = row0 + ((<usize>ox) << 2);
          if (rest > 12) forwardTile(4, from, planeBytes, rowBytes, w0, w1, inC, kh, kw, y0 + line, y1 + line, rest, bias0, bias1, hasBias, relu);
          else if (rest > 8) forwardTile(3, from, planeBytes, rowBytes, w0, w1, inC, kh, kw, y0 + line, y1 + line, rest, bias0, bias1, hasBias, relu);
          else if (rest > 4) forwardTile(2, from, planeBytes, rowBytes, w0, w1, inC, kh, kw, y0 + line, y1 + line, rest, bias0, bias1, hasBias, relu);
          else forwardTile(1, from, planeBytes, rowBytes, w0, w1, inC, kh, kw, y0 + line, y1 + line, rest, bias0, bias1, hasBias, relu);
        }
      }
    }
  }
}

/**
 * One image's m [outC, outH, wq] = dy masked by the ReLU (where y ≤ 0 the gradient is 0; y = 0:
 * no mask), columns from outW to wq zero; sums[c] (f64) += Σ of channel c's masked values (two
 * f64 lanes and a tail, added to the running total image by image).
 */
function prepareImage(dy: usize, y: usize, m: usize, sums: usize, outC: i32, outH: i32, outW: i32, wq: i32): void {
  const zero = f32x4.splat(0);
  const plane = <usize>(outH * outW);
  for (let c = 0; c < outC; c++) {
    let sum = f64x2.splat(0);
    let tail: f64 = 0;
    const src = dy + ((<usize>c * plane) << 2);
    const mask = y + ((<usize>c * plane) << 2);
    let dst = m + ((<usize>c * <usize>(outH * wq)) << 2);
    for (let oy = 0; oy < outH; oy++, dst += (<usize>wq) << 2) {
      const line = (<usize>(oy * outW)) << 2;
      let ox = 0;
      for (; ox + 4 <= outW; ox += 4) {
        const o = line + ((<usize>ox) << 2);
        let v = v128.load(src + o);
        if (y) v = v128.and(v, f32x4.gt(v128.load(mask + o), zero));
        v128.store(dst + ((<usize>ox) << 2), v);
        sum = f64x2.add(sum, f64x2.add(f64x2.promote_low_f32x4(v), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))));
      }
      for (; ox < outW; ox++) {
        const o = line + ((<usize>ox) << 2);
        let v = load<f32>(src + o);
        if (y && !(load<f32>(mask + o) > 0)) v = 0;
        store<f32>(dst + ((<usize>ox) << 2), v);
        tail += <f64>v;
      }
      for (; ox < wq; ox++) store<f32>(dst + ((<usize>ox) << 2), 0);
    }
    const at = sums + ((<usize>c) << 3);
    store<f64>(at, load<f64>(at) + (f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1) + tail));
  }
}

/**
 * dW [outC, inC, kh, kw] (+)= Σ over images and positions of m · p shifted by each tap, and
 * dBias (+)= Σ m when given, with m dy masked by the ReLU output y (when y ≠ 0), one image at a
 * time into `m` (outC·outH·wq floats: rows of wq, zero past outW), and p from convPad
 * (wp ≥ wq + kw + 3). `acc` holds outC·inC·kh·(kw + 3) vectors of partial sums (four position
 * lanes each), reduced at the end; `sums` outC f64 bias sums. Tiles of two output channels × four taps of a kernel row (eight accumulators): each
 * position vector loads two gradient vectors and four input vectors; a row's last one or two taps
 * go one at a time (three: a tile of four with one spare).
 */
export function convDirectWeightGradient(
  p: usize, dy: usize, y: usize, m: usize, acc: usize, sums: usize, dw: usize, dBias: usize,
  batch: i32, inC: i32, hp: i32, wp: i32, kh: i32, kw: i32, outC: i32, outH: i32, outW: i32, wq: i32, accumulate: i32,
): void {
  const kwp = kw + 3;
  const accBytes = (<usize>(outC * inC * kh * kwp)) << 4;
  zeroBytes(acc, accBytes);
  zeroBytes(sums, (<usize>outC) << 3);
  const dyImage = (<usize>(outC * outH * outW)) << 2;
  const planeBytes = (<usize>(hp * wp)) << 2;
  const rowBytes = (<usize>wp) << 2;
  const mRowBytes = (<usize>wq) << 2;
  const mPlaneBytes = (<usize>outH) * mRowBytes;
  for (let b = 0; b < batch; b++) {
    // This image's masked gradient, in rows of wq: small enough to stay in cache for every tap.
    prepareImage(dy + <usize>b * dyImage, y ? y + <usize>b * dyImage : 0, m, sums, outC, outH, outW, wq);
    for (let o0 = 0; o0 < outC; o0 += 2) {
      const o1 = o0 + 1 < outC ? o0 + 1 : o0;
      const m0 = m + <usize>o0 * mPlaneBytes;
      const m1 = m + <usize>o1 * mPlaneBytes;
      for (let c = 0; c < inC; c++) {
        const plane = p + <usize>(b * inC + c) * planeBytes;
        for (let i = 0; i < kh; i++) {
          // Accumulator rows of (o0, c, i) and (o1, c, i); for an odd last channel o1 = o0 and the
          // second set of sums is thrown away (it goes to a spare row beyond acc: not stored).
          const r0 = acc + ((<usize>(((o0 * inC + c) * kh + i) * kwp)) << 4);
          const r1 = acc + ((<usize>(((o1 * inC + c) * kh + i) * kwp)) << 4);
          const same = o1 == o0;
          let j = 0;
          while (j < kw) {
            const left = kw - j;
            if (left == 3) {
              // The row's last three taps (a 3-wide kernel: all of them), six accumulators.
              const q = r0 + (<usize>j << 4), u = r1 + (<usize>j << 4);
              let a0 = v128.load(q), a1 = v128.load(q, 16), a2 = v128.load(q, 32);
              let c0 = v128.load(u), c1 = v128.load(u, 16), c2 = v128.load(u, 32);
              let row = plane + <usize>i * rowBytes + ((<usize>j) << 2);
              let g0 = m0, g1 = m1;
              for (let oy = 0; oy < outH; oy++, row += rowBytes, g0 += mRowBytes, g1 += mRowBytes) {
                for (let ox = 0; ox < wq; ox += 4) {
                  const o = (<usize>ox) << 2;
                  const d0 = v128.load(g0 + o);
                  const d1 = v128.load(g1 + o);
                  let x = v128.load(row + o);
                  a0 = f32x4.add(a0, f32x4.mul(d0, x));
                  c0 = f32x4.add(c0, f32x4.mul(d1, x));
                  x = v128.load(row + o, 4);
                  a1 = f32x4.add(a1, f32x4.mul(d0, x));
                  c1 = f32x4.add(c1, f32x4.mul(d1, x));
                  x = v128.load(row + o, 8);
                  a2 = f32x4.add(a2, f32x4.mul(d0, x));
                  c2 = f32x4.add(c2, f32x4.mul(d1, x));
                }
              }
              // For an odd last channel (o1 = o0) both sets hold the same sums.
              v128.store(u, c0);
              v128.store(u, c1, 16);
              v128.store(u, c2, 32);
              v128.store(q, a0);
              v128.store(q, a1, 16);
              v128.store(q, a2, 32);
              j += 3;
            } else if (left >= 3) {
              let a0 = v128.load(r0 + (<usize>j << 4)), a1 = v128.load(r0 + (<usize>j << 4), 16);
              let a2 = v128.load(r0 + (<usize>j << 4), 32), a3 = v128.load(r0 + (<usize>j << 4), 48);
              let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
              if (!same) {
                c0 = v128.load(r1 + (<usize>j << 4));
                c1 = v128.load(r1 + (<usize>j << 4), 16);
                c2 = v128.load(r1 + (<usize>j << 4), 32);
                c3 = v128.load(r1 + (<usize>j << 4), 48);
              }
              let row = plane + <usize>i * rowBytes + ((<usize>j) << 2);
              let g0 = m0, g1 = m1;
              for (let oy = 0; oy < outH; oy++, row += rowBytes, g0 += mRowBytes, g1 += mRowBytes) {
                for (let ox = 0; ox < wq; ox += 4) {
                  const o = (<usize>ox) << 2;
                  const d0 = v128.load(g0 + o);
                  const d1 = v128.load(g1 + o);
                  let x = v128.load(row + o);
                  a0 = f32x4.add(a0, f32x4.mul(d0, x));
                  c0 = f32x4.add(c0, f32x4.mul(d1, x));
                  x = v128.load(row + o, 4);
                  a1 = f32x4.add(a1, f32x4.mul(d0, x));
                  c1 = f32x4.add(c1, f32x4.mul(d1, x));
                  x = v128.load(row + o, 8);
                  a2 = f32x4.add(a2, f32x4.mul(d0, x));
                  c2 = f32x4.add(c2, f32x4.mul(d1, x));
                  x = v128.load(row + o, 12);
                  a3 = f32x4.add(a3, f32x4.mul(d0, x));
                  c3 = f32x4.add(c3, f32x4.mul(d1, x));
                }
              }
              v128.store(r0 + (<usize>j << 4), a0);
              v128.store(r0 + (<usize>j << 4), a1, 16);
              v128.store(r0 + (<usize>j << 4), a2, 32);
              v128.store(r0 + (<usize>j << 4), a3, 48);
              if (!same) {
                v128.store(r1 + (<usize>j << 4), c0);
                v128.store(r1 + (<usize>j << 4), c1, 16);
                v128.store(r1 + (<usize>j << 4), c2, 32);
                v128.store(r1 + (<usize>j << 4), c3, 48);
              }
              j += 4;
            } else {
              let a0 = v128.load(r0 + (<usize>j << 4));
              let c0 = same ? f32x4.splat(0) : v128.load(r1 + (<usize>j << 4));
              let row = plane + <usize>i * rowBytes + ((<usize>j) << 2);
              let g0 = m0, g1 = m1;
              for (let oy = 0; oy < outH; oy++, row += rowBytes, g0 += mRowBytes, g1 += mRowBytes) {
                for (let ox = 0; ox < wq; ox += 4) {
                  const o = (<usize>ox) << 2;
                  const x = v128.load(row + o);
                  a0 = f32x4.add(a0, f32x4.mul(v128.load(g0 + o), x));
                  c0 = f32x4.add(c0, f32x4.mul(v128.load(g1 + o), x));
                }
              }
              v128.store(r0 + (<usize>j << 4), a0);
              if (!same) v128.store(r1 + (<usize>j << 4), c0);
              j += 1;
            }
          }
        }
      }
    }
  }
  // Reduce each tap's four lanes into dW.
  for (let o = 0; o < outC; o++) {
    for (let c = 0; c < inC; c++) {
      for (let i = 0; i < kh; i++) {
        const r = acc + ((<usize>(((o * inC + c) * kh + i) * kwp)) << 4);
        const out = dw + ((<usize>(((o * inC + c) * kh + i) * kw)) << 2);
        for (let j = 0; j < kw; j++) {
          const v = v128.load(r + (<usize>j << 4));
          const s = f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
          const at = out + ((<usize>j) << 2);
          store<f32>(at, accumulate ? load<f32>(at) + s : s);
        }
      }
    }
    if (dBias) {
      const at = dBias + ((<usize>o) << 2);
      const total = load<f64>(sums + ((<usize>o) << 3));
      store<f32>(at, accumulate ? <f32>(<f64>load<f32>(at) + total) : <f32>total);
    }
  }
}

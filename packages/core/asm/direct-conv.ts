import { storeLanes } from './lanes';
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
//
// Both passes take a range of work units (images; output-channel pairs × kernel rows) so the
// thread pool can split them (src/backend/wasm/thread-pool.ts); their arguments come in a small
// descriptor in wasm memory. Each value is computed the same whoever takes its unit.

/** Copies x [planes, height, width] into planes of hp × wp with the image at (padH, padW), zeros around. */
export function convPad(x: usize, p: usize, planes: i32, height: i32, width: i32, padH: i32, padW: i32, hp: i32, wp: i32): void {
  convPadPlanes(x, p, planes, height * width, height, width, padH, padW, hp, wp);
}

/** convPad with the source planes `planeStride` floats apart (a channel-major batch: batch · height · width). */
function convPadPlanes(x: usize, p: usize, planes: i32, planeStride: i32, height: i32, width: i32, padH: i32, padW: i32, hp: i32, wp: i32): void {
  const planeBytes = (<usize>(hp * wp)) << 2;
  const sourcePlaneBytes = (<usize>planeStride) << 2;
  for (let bc = 0; bc < planes; bc++) {
    const plane = p + <usize>bc * planeBytes;
    zeroBytes(plane, planeBytes);
    const image = x + <usize>bc * sourcePlaneBytes;
    for (let r = 0; r < height; r++) {
      const src = image + ((<usize>(r * width)) << 2);
      const dst = plane + ((<usize>((r + padH) * wp + padW)) << 2);
      let k = 0;
      for (; k + 4 <= width; k += 4) v128.store(dst + (<usize>k << 2), v128.load(src + (<usize>k << 2)));
      for (; k < width; k++) store<f32>(dst + (<usize>k << 2), load<f32>(src + (<usize>k << 2)));
    }
  }
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
 * The forward descriptor (i32 words; src/backend/wasm/direct-conv.ts writes it): the arguments
 * would be more than the thread pool's sixteen.
 */
const CF_X = 0, CF_P = 4, CF_W = 8, CF_BIAS = 12, CF_Y = 16, CF_KIND = 20, CF_IN_C = 24, CF_HEIGHT = 28;
const CF_WIDTH = 32, CF_PAD_H = 36, CF_PAD_W = 40, CF_HP = 44, CF_WP = 48, CF_KH = 52, CF_KW = 56;
const CF_OUT_C = 60, CF_OUT_H = 64, CF_OUT_W = 68;
/** Floats from one image of x to the next, and from one of its planes to the next (NCHW: c·h·w and h·w; channel-major: h·w and batch·h·w). */
const CF_IMAGE_STRIDE = 72, CF_PLANE_STRIDE = 76;

/**
 * y [batch, outC, outH, outW] = act(conv(x, w) + bias) for images b0 … b1 − 1 (a thread's share),
 * act identity (kind 0) or ReLU (1): each image is first copied into its zero-padded planes in p
 * (convPad; wp ≥ ⌈outW/16⌉·16 + kw − 1), then convolved from there while they are in cache.
 * Tiles of two output channels × 16 positions of a row (eight accumulators): each tap loads four
 * input vectors and two weights; a row's last tile takes as many vectors as it has positions left
 * (28 = 16 + 12, none wasted). Each output is computed the same whichever thread takes its image.
 */
export function convDirectForward(d: usize, b0: i32, b1: i32): void {
  const x = <usize>load<i32>(d, CF_X), p = <usize>load<i32>(d, CF_P), w = <usize>load<i32>(d, CF_W);
  const bias = <usize>load<i32>(d, CF_BIAS), y = <usize>load<i32>(d, CF_Y);
  const relu = load<i32>(d, CF_KIND) == 1;
  const inC = load<i32>(d, CF_IN_C), height = load<i32>(d, CF_HEIGHT), width = load<i32>(d, CF_WIDTH);
  const padH = load<i32>(d, CF_PAD_H), padW = load<i32>(d, CF_PAD_W), hp = load<i32>(d, CF_HP), wp = load<i32>(d, CF_WP);
  const kh = load<i32>(d, CF_KH), kw = load<i32>(d, CF_KW);
  const outC = load<i32>(d, CF_OUT_C), outH = load<i32>(d, CF_OUT_H), outW = load<i32>(d, CF_OUT_W);
  const hasBias = bias != 0;
  const patch = inC * kh * kw;
  const planeBytes = (<usize>(hp * wp)) << 2;
  const rowBytes = (<usize>wp) << 2;
  const outPlane = (<usize>(outH * outW)) << 2;
  const inImage = (<usize>load<i32>(d, CF_IMAGE_STRIDE)) << 2;
  const planeStride = load<i32>(d, CF_PLANE_STRIDE);
  for (let b = b0; b < b1; b++) {
    const image = p + <usize>(b * inC) * planeBytes;
    convPadPlanes(x + <usize>b * inImage, image, inC, planeStride, height, width, padH, padW, hp, wp);
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
 * One image's m [outH, wq] for one channel = dy masked by the ReLU (where y ≤ 0 the gradient is
 * 0; y = 0: no mask), columns from outW to wq zero; when `sum` ≠ 0, *sum (f64) += Σ of the masked
 * values (two f64 lanes and a tail, added to the running total image by image).
 */
function prepareChannel(src: usize, mask: usize, dst: usize, sum: usize, outH: i32, outW: i32, wq: i32): void {
  const zero = f32x4.splat(0);
  let lanes = f64x2.splat(0);
  let tail: f64 = 0;
  for (let oy = 0; oy < outH; oy++, dst += (<usize>wq) << 2) {
    const line = (<usize>(oy * outW)) << 2;
    let ox = 0;
    for (; ox + 4 <= outW; ox += 4) {
      const o = line + ((<usize>ox) << 2);
      let v = v128.load(src + o);
      if (mask) v = v128.and(v, f32x4.gt(v128.load(mask + o), zero));
      v128.store(dst + ((<usize>ox) << 2), v);
      if (sum) lanes = f64x2.add(lanes, f64x2.add(f64x2.promote_low_f32x4(v), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))));
    }
    for (; ox < outW; ox++) {
      const o = line + ((<usize>ox) << 2);
      let v = load<f32>(src + o);
      if (mask && !(load<f32>(mask + o) > 0)) v = 0;
      store<f32>(dst + ((<usize>ox) << 2), v);
      tail += <f64>v;
    }
    for (; ox < wq; ox++) store<f32>(dst + ((<usize>ox) << 2), 0);
  }
  if (sum) store<f64>(sum, load<f64>(sum) + (f64x2.extract_lane(lanes, 0) + f64x2.extract_lane(lanes, 1) + tail));
}

/**
 * Adds one image's contribution to the accumulator rows r0 = (o0, c, i) and r1 = (o1, c, i): for
 * each tap j, Σ over positions of m · p shifted by (i, j), in four position lanes. `row` is the
 * input plane's row i (p + plane + i·rowBytes), g0/g1 the two channels' masked gradients. Tiles of
 * two output channels × four taps (eight accumulators): each position vector loads two gradient
 * vectors and four input vectors; a row's last one or two taps go one at a time (three: a tile of
 * three). For an odd last channel (same: o1 = o0) the second set is not stored.
 */
function accumulateRow(
  row0: usize, rowBytes: usize, g00: usize, g10: usize, mRowBytes: usize, r0: usize, r1: usize, same: bool, kw: i32, outH: i32, wq: i32,
): void {
  let j = 0;
  while (j < kw) {
    const left = kw - j;
    if (left == 3) {
      // The row's last three taps (a 3-wide kernel: all of them), six accumulators.
      const q = r0 + (<usize>j << 4), u = r1 + (<usize>j << 4);
      let a0 = v128.load(q), a1 = v128.load(q, 16), a2 = v128.load(q, 32);
      let c0 = v128.load(u), c1 = v128.load(u, 16), c2 = v128.load(u, 32);
      let row = row0 + ((<usize>j) << 2);
      let g0 = g00, g1 = g10;
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
      let row = row0 + ((<usize>j) << 2);
      let g0 = g00, g1 = g10;
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
      let row = row0 + ((<usize>j) << 2);
      let g0 = g00, g1 = g10;
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

/** Reduces the four lanes of the accumulator rows (o, c, i) for i in [i0, i1) into dW. */
function reduceRows(acc: usize, dw: usize, o: i32, inC: i32, kh: i32, kw: i32, i0: i32, i1: i32, accumulate: i32): void {
  const kwp = kw + 3;
  for (let c = 0; c < inC; c++) {
    for (let i = i0; i < i1; i++) {
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
}

/**
 * The weight-gradient descriptor (i32 words; src/backend/wasm/direct-conv.ts writes it): the
 * arguments would be more than the thread pool's sixteen.
 */
const WG_P = 0, WG_DY = 4, WG_Y = 8, WG_M = 12, WG_ACC = 16, WG_SUMS = 20, WG_DW = 24, WG_DBIAS = 28;
const WG_BATCH = 32, WG_IN_C = 36, WG_HP = 40, WG_WP = 44, WG_KH = 48, WG_KW = 52, WG_OUT_C = 56;
const WG_OUT_H = 60, WG_OUT_W = 64, WG_WQ = 68, WG_ACCUMULATE = 72, WG_CHUNK_UNITS = 76;

/**
 * dW [outC, inC, kh, kw] (+)= Σ over images and positions of m · p shifted by each tap, and
 * dBias (+)= Σ m when given, with m dy masked by the ReLU output y (when y ≠ 0) and p from
 * convPad (wp ≥ wq + kw + 3), for units u0 … u1 − 1 of (output-channel pair, kernel row i): unit
 * u is pair u / kh, row u mod kh. A unit owns dW rows (o0, c, i) and (o1, c, i) for every c, its
 * accumulator rows in `acc` (outC·inC·kh·(kw + 3) vectors of four position lanes, reduced at the
 * end) and, for row 0, the pair's f64 bias sums in `sums` (one a 64-byte line: two threads
 * adding into one line every image would pass it back and forth). Every row sums the images in order
 * whatever the units around it, so any cut into chunks (threads) gives the same bits.
 *
 * Images outer, as on one thread before the split: each image's masked gradient of every pair
 * the chunk touches is prepared once into the chunk's own block of `m` (chunk u0 / chunkUnits,
 * room for chunkPairs(chunkUnits, kh) pairs of two outH × wq planes), and its padded planes stay
 * in cache while every unit of the chunk reads them.
 */
export function convDirectWeightGradient(d: usize, u0: i32, u1: i32): void {
  const p = <usize>load<i32>(d, WG_P), dy = <usize>load<i32>(d, WG_DY), y = <usize>load<i32>(d, WG_Y);
  const acc = <usize>load<i32>(d, WG_ACC), sums = <usize>load<i32>(d, WG_SUMS);
  const dw = <usize>load<i32>(d, WG_DW), dBias = <usize>load<i32>(d, WG_DBIAS);
  const batch = load<i32>(d, WG_BATCH), inC = load<i32>(d, WG_IN_C), hp = load<i32>(d, WG_HP), wp = load<i32>(d, WG_WP);
  const kh = load<i32>(d, WG_KH), kw = load<i32>(d, WG_KW), outC = load<i32>(d, WG_OUT_C);
  const outH = load<i32>(d, WG_OUT_H), outW = load<i32>(d, WG_OUT_W), wq = load<i32>(d, WG_WQ);
  const accumulate = load<i32>(d, WG_ACCUMULATE), chunkUnits = load<i32>(d, WG_CHUNK_UNITS);
  const kwp = kw + 3;
  const dyImage = (<usize>(outC * outH * outW)) << 2;
  const dyPlane = (<usize>(outH * outW)) << 2;
  const planeBytes = (<usize>(hp * wp)) << 2;
  const rowBytes = (<usize>wp) << 2;
  const mRowBytes = (<usize>wq) << 2;
  const mPlaneBytes = (<usize>outH) * mRowBytes;
  const firstPair = u0 / kh, lastPair = (u1 - 1) / kh;
  const m = <usize>load<i32>(d, WG_M) + <usize>((u0 / chunkUnits) * chunkPairs(chunkUnits, kh) * 2) * mPlaneBytes;
  // This chunk's rows [i0, i1) of a pair, and whether it owns the pair's bias (row 0).
  for (let pair = firstPair; pair <= lastPair; pair++) {
    const o0 = 2 * pair, o1 = o0 + 1 < outC ? o0 + 1 : o0;
    const i0 = max(0, u0 - pair * kh), i1 = min(kh, u1 - pair * kh);
    for (let c = 0; c < inC; c++) {
      zeroBytes(acc + ((<usize>(((o0 * inC + c) * kh + i0) * kwp)) << 4), (<usize>((i1 - i0) * kwp)) << 4);
      if (o1 != o0) zeroBytes(acc + ((<usize>(((o1 * inC + c) * kh + i0) * kwp)) << 4), (<usize>((i1 - i0) * kwp)) << 4);
    }
    if (i0 == 0) {
      store<f64>(sums + ((<usize>o0) << 6), 0);
      store<f64>(sums + ((<usize>o1) << 6), 0);
    }
  }
  for (let b = 0; b < batch; b++) {
    const g = dy + <usize>b * dyImage;
    const mask = y ? y + <usize>b * dyImage : 0;
    // This image's masked gradient of each pair, in rows of wq: small enough to stay in cache.
    for (let pair = firstPair; pair <= lastPair; pair++) {
      const o0 = 2 * pair, o1 = o0 + 1 < outC ? o0 + 1 : o0;
      const bias = dBias != 0 && pair * kh >= u0;
      const m0 = m + <usize>(2 * (pair - firstPair)) * mPlaneBytes;
      prepareChannel(g + <usize>o0 * dyPlane, mask ? mask + <usize>o0 * dyPlane : 0, m0, bias ? sums + ((<usize>o0) << 6) : 0, outH, outW, wq);
      if (o1 != o0) prepareChannel(g + <usize>o1 * dyPlane, mask ? mask + <usize>o1 * dyPlane : 0, m0 + mPlaneBytes, bias ? sums + ((<usize>o1) << 6) : 0, outH, outW, wq);
    }
    for (let pair = firstPair; pair <= lastPair; pair++) {
      const o0 = 2 * pair, o1 = o0 + 1 < outC ? o0 + 1 : o0;
      const same = o1 == o0;
      const i0 = max(0, u0 - pair * kh), i1 = min(kh, u1 - pair * kh);
      const m0 = m + <usize>(2 * (pair - firstPair)) * mPlaneBytes;
      const m1 = same ? m0 : m0 + mPlaneBytes;
      for (let c = 0; c < inC; c++) {
        const plane = p + <usize>(b * inC + c) * planeBytes;
        for (let i = i0; i < i1; i++) {
          const r0 = acc + ((<usize>(((o0 * inC + c) * kh + i) * kwp)) << 4);
          const r1 = acc + ((<usize>(((o1 * inC + c) * kh + i) * kwp)) << 4);
          accumulateRow(plane + <usize>i * rowBytes, rowBytes, m0, m1, mRowBytes, r0, r1, same, kw, outH, wq);
        }
      }
    }
  }
  for (let pair = firstPair; pair <= lastPair; pair++) {
    const o0 = 2 * pair, o1 = o0 + 1 < outC ? o0 + 1 : o0;
    const i0 = max(0, u0 - pair * kh), i1 = min(kh, u1 - pair * kh);
    reduceRows(acc, dw, o0, inC, kh, kw, i0, i1, accumulate);
    if (o1 != o0) reduceRows(acc, dw, o1, inC, kh, kw, i0, i1, accumulate);
    if (dBias != 0 && i0 == 0) {
      for (let o = o0; o <= o1; o++) {
        const at = dBias + ((<usize>o) << 2);
        const total = load<f64>(sums + ((<usize>o) << 6));
        store<f32>(at, accumulate ? <f32>(<f64>load<f32>(at) + total) : <f32>total);
      }
    }
  }
}

/** Most output-channel pairs a run of `units` consecutive units can touch (the m blocks a chunk needs). */
// @ts-ignore: decorator
@inline function chunkPairs(units: i32, kh: i32): i32 {
  return (units - 1) / kh + 2;
}

/**
 * wt [inC, outC, kh, kw] = w [outC, inC, kh, kw] transposed in its channels and turned 180° in its
 * taps: the weights of the transposed convolution that computes a layer's input gradient with
 * convDirectForward (dy convolved with wt, padding kh − 1 − padH and kw − 1 − padW).
 */
export function convFlipWeights(w: usize, wt: usize, outC: i32, inC: i32, kh: i32, kw: i32): void {
  const taps = kh * kw;
  for (let o = 0; o < outC; o++) {
    for (let c = 0; c < inC; c++) {
      const from = w + ((<usize>((o * inC + c) * taps)) << 2);
      const to = wt + ((<usize>((c * outC + o) * taps)) << 2);
      for (let t = 0; t < taps; t++) store<f32>(to + ((<usize>(taps - 1 - t)) << 2), load<f32>(from + ((<usize>t) << 2)));
    }
  }
}

import { zeroBytes } from './zero';
// Max and average pooling over NCHW batches, bit for bit as src/backend/js/window-ops.ts:
// max pooling keeps the first maximum in scan order (a NaN wins and ends the scan), padding is
// −∞ and an all-padding window gives −∞ with argmax −1; average pooling sums in f64 and divides
// by kernelH·kernelW (padding counted); the backward passes add in the reference's order.

/**
 * Max pooling 2×2, stride 2, no padding: four outputs at a time from two deinterleaved rows. A
 * row of at least four outputs ends with one vector over its last four (overlapping the previous
 * one, which it recomputes to the same values) instead of a scalar tail.
 */
function maxPool2x2(x: usize, y: usize, argmax: usize, planes: i32, height: i32, width: i32, outH: i32, outW: i32): void {
  const planeBytes = (<usize>(height * width)) << 2;
  const rowBytes = (<usize>width) << 2;
  const step = i32x4(0, 2, 4, 6);
  let at: usize = 0;
  for (let bc = 0; bc < planes; bc++) {
    const image = x + <usize>bc * planeBytes;
    for (let oy = 0; oy < outH; oy++) {
      const r0 = image + <usize>(2 * oy) * rowBytes;
      const r1 = r0 + rowBytes;
      const base0 = 2 * oy * width;
      const rowAt = at;
      let ox = 0;
      for (; ox < outW && outW >= 4; ox += 4, at += 16) {
        if (ox + 4 > outW) {
          // The row's last four outputs.
          ox = outW - 4;
          at = rowAt + ((<usize>ox) << 2);
        }
        const o = (<usize>(2 * ox)) << 2;
        const a0 = v128.load(r0 + o), a1 = v128.load(r0 + o, 16);
        const c0 = v128.load(r1 + o), c1 = v128.load(r1 + o, 16);
        let best = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
        let index = i32x4.add(i32x4.splat(base0 + 2 * ox), step);
        const one = i32x4.splat(1);
        const below = i32x4.splat(width);
        // Candidates in scan order: (0,1), (1,0), (1,1). A candidate wins when it is greater, or
        // when it is NaN and the best so far is not (the first NaN stays).
        let v = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
        let take = v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
        best = v128.bitselect(v, best, take);
        index = v128.bitselect(i32x4.add(index, one), index, take);
        const first = i32x4.add(i32x4.splat(base0 + 2 * ox), step);
        v = v128.shuffle<f32>(c0, c1, 0, 2, 4, 6);
        take = v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
        best = v128.bitselect(v, best, take);
        index = v128.bitselect(i32x4.add(first, below), index, take);
        v = v128.shuffle<f32>(c0, c1, 1, 3, 5, 7);
        take = v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
        best = v128.bitselect(v, best, take);
        index = v128.bitselect(i32x4.add(first, i32x4.add(below, one)), index, take);
        v128.store(y + at, best);
        v128.store(argmax + at, index);
      }
      for (; ox < outW; ox++, at += 4) {
        const o = (<usize>(2 * ox)) << 2;
        let best = load<f32>(r0 + o);
        let index = base0 + 2 * ox;
        if (!isNaN(best)) {
          const c0 = load<f32>(r0 + o, 4), c1 = load<f32>(r1 + o), c2 = load<f32>(r1 + o, 4);
          if (c0 > best || isNaN(c0)) { best = c0; index = base0 + 2 * ox + 1; }
          if (!isNaN(best) && (c1 > best || isNaN(c1))) { best = c1; index = base0 + 2 * ox + width; }
          if (!isNaN(best) && (c2 > best || isNaN(c2))) { best = c2; index = base0 + 2 * ox + width + 1; }
        }
        store<f32>(y + at, best);
        store<i32>(argmax + at, index);
      }
    }
  }
}

export function maxPoolForward(
  x: usize, y: usize, argmax: usize,
  batch: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32,
  strideH: i32, strideW: i32, padH: i32, padW: i32, outH: i32, outW: i32,
): void {
  const planes = batch * channels;
  if (kernelH == 2 && kernelW == 2 && strideH == 2 && strideW == 2 && padH == 0 && padW == 0) {
    maxPool2x2(x, y, argmax, planes, height, width, outH, outW);
    return;
  }
  const planeBytes = (<usize>(height * width)) << 2;
  // Four outputs of a row at a time, each lane scanning its own window in scan order. Groups
  // whose windows lie inside the row horizontally ([inLo, inHi)) load their taps directly; the
  // others (padding, the row's tail) load clamped positions and mask off the lanes outside.
  const inLo = min(outW, (padW + strideW - 1) / strideW);
  const limit = width + padW - kernelW;
  const inHi = max(inLo, limit < 0 ? 0 : min(outW, limit / strideW + 1));
  const laneStep = i32x4(0, strideW, 2 * strideW, 3 * strideW);
  const lanes = i32x4(0, 1, 2, 3);
  const lastColumn = i32x4.splat(width - 1);
  const zero = i32x4.splat(0);
  let at: usize = 0;
  for (let bc = 0; bc < planes; bc++) {
    const image = x + <usize>bc * planeBytes;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * strideH - padH;
      const i0 = max(0, -y0), i1 = min(kernelH, height - y0);
      for (let ox = 0; ox < outW; ox += 4) {
        const count = min(4, outW - ox);
        const interior = ox >= inLo && ox + 4 <= inHi;
        const inRow = i32x4.lt_s(lanes, i32x4.splat(count));
        const x0 = ox * strideW - padW;
        let best = f32x4.splat(-Infinity);
        let index = i32x4.splat(-1);
        for (let i = i0; i < i1; i++) {
          const line = (y0 + i) * width;
          for (let j = 0; j < kernelW; j++) {
            const xs = i32x4.add(i32x4.splat(x0 + j), laneStep);
            let v: v128;
            let valid: v128;
            if (interior) {
              v = gather(image + ((<usize>(line + x0 + j)) << 2), strideW);
              valid = i32x4.splat(-1);
            } else {
              valid = v128.and(inRow, v128.and(i32x4.ge_s(xs, zero), i32x4.le_s(xs, lastColumn)));
              const c = i32x4.add(i32x4.splat(line), i32x4.min_s(i32x4.max_s(xs, zero), lastColumn));
              v = f32x4(
                load<f32>(image + ((<usize>i32x4.extract_lane(c, 0)) << 2)),
                load<f32>(image + ((<usize>i32x4.extract_lane(c, 1)) << 2)),
                load<f32>(image + ((<usize>i32x4.extract_lane(c, 2)) << 2)),
                load<f32>(image + ((<usize>i32x4.extract_lane(c, 3)) << 2)),
              );
            }
            // The reference's rule: the first tap of a window is taken; a later one when greater,
            // or when NaN while the best so far is not (so the first NaN stays).
            const wins = v128.or(v128.or(f32x4.gt(v, best), i32x4.lt_s(index, zero)), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
            const take = v128.and(valid, wins);
            best = v128.bitselect(v, best, take);
            index = v128.bitselect(i32x4.add(i32x4.splat(line), xs), index, take);
          }
        }
        if (count == 4) {
          v128.store(y + at, best);
          v128.store(argmax + at, index);
        } else {
          store<f32>(y + at, f32x4.extract_lane(best, 0));
          store<i32>(argmax + at, i32x4.extract_lane(index, 0));
          if (count > 1) {
            store<f32>(y + at, f32x4.extract_lane(best, 1), 4);
            store<i32>(argmax + at, i32x4.extract_lane(index, 1), 4);
          }
          if (count > 2) {
            store<f32>(y + at, f32x4.extract_lane(best, 2), 8);
            store<i32>(argmax + at, i32x4.extract_lane(index, 2), 8);
          }
        }
        at += (<usize>count) << 2;
      }
    }
  }
}

/** Four floats `stride` apart (reading nothing past the last of them). */
// @ts-ignore: decorator
@inline function gather(p: usize, stride: i32): v128 {
  if (stride == 1) return v128.load(p);
  if (stride == 2) return v128.shuffle<f32>(v128.load(p), v128.load(p, 12), 0, 2, 5, 7);
  if (stride == 3) return v128.shuffle<f32>(v128.load(p), v128.load(p, 24), 0, 3, 4, 7);
  const s = (<usize>stride) << 2;
  return f32x4(load<f32>(p), load<f32>(p + s), load<f32>(p + 2 * s), load<f32>(p + 3 * s));
}

/**
 * Max pooling backward, 2×2 stride 2 without padding, at least four outputs a row: the windows
 * tile the image, so each pixel is written once — dy where it was its window's argmax, else 0
 * (+0 added, so a −0 gradient lands as the reference's 0 + −0 = +0) — and the last row and column
 * of an odd size, in no window, are zeroed. No zeroing pass, no scatter. Rows end with an
 * overlapping vector as in the forward pass.
 */
function maxPool2x2Backward(dy: usize, argmax: usize, dx: usize, planes: i32, height: i32, width: i32, outH: i32, outW: i32): void {
  const planeBytes = (<usize>(height * width)) << 2;
  const rowBytes = (<usize>width) << 2;
  const step = i32x4(0, 2, 4, 6);
  const zero = f32x4.splat(0);
  const one = i32x4.splat(1);
  const below = i32x4.splat(width);
  let at: usize = 0;
  for (let bc = 0; bc < planes; bc++) {
    const image = dx + <usize>bc * planeBytes;
    for (let oy = 0; oy < outH; oy++) {
      const r0 = image + <usize>(2 * oy) * rowBytes;
      const r1 = r0 + rowBytes;
      const rowAt = at;
      for (let ox = 0; ox < outW; ox += 4, at += 16) {
        if (ox + 4 > outW) {
          ox = outW - 4;
          at = rowAt + ((<usize>ox) << 2);
        }
        const d = v128.load(dy + at);
        const index = v128.load(argmax + at);
        const first = i32x4.add(i32x4.splat(2 * oy * width + 2 * ox), step);
        const a = f32x4.add(v128.and(d, i32x4.eq(index, first)), zero);
        const b = f32x4.add(v128.and(d, i32x4.eq(index, i32x4.add(first, one))), zero);
        const c = f32x4.add(v128.and(d, i32x4.eq(index, i32x4.add(first, below))), zero);
        const e = f32x4.add(v128.and(d, i32x4.eq(index, i32x4.add(first, i32x4.add(below, one)))), zero);
        const o = (<usize>(2 * ox)) << 2;
        v128.store(r0 + o, v128.shuffle<f32>(a, b, 0, 4, 1, 5));
        v128.store(r0 + o, v128.shuffle<f32>(a, b, 2, 6, 3, 7), 16);
        v128.store(r1 + o, v128.shuffle<f32>(c, e, 0, 4, 1, 5));
        v128.store(r1 + o, v128.shuffle<f32>(c, e, 2, 6, 3, 7), 16);
      }
      if (width & 1) {
        store<f32>(r0 + ((<usize>(width - 1)) << 2), 0);
        store<f32>(r1 + ((<usize>(width - 1)) << 2), 0);
      }
    }
    if (height & 1) zeroBytes(image + <usize>(height - 1) * rowBytes, rowBytes);
  }
}

export function maxPoolBackward(
  dy: usize, argmax: usize, dx: usize,
  batch: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32,
  strideH: i32, strideW: i32, padH: i32, padW: i32, outH: i32, outW: i32,
): void {
  const planes = batch * channels;
  const planeBytes = (<usize>(height * width)) << 2;
  const outputs = outH * outW;
  if (kernelH == 2 && kernelW == 2 && strideH == 2 && strideW == 2 && padH == 0 && padW == 0 && outW >= 4) {
    maxPool2x2Backward(dy, argmax, dx, planes, height, width, outH, outW);
    return;
  }
  zeroBytes(dx, <usize>planes * planeBytes);
  let at: usize = 0;
  for (let bc = 0; bc < planes; bc++) {
    const image = dx + <usize>bc * planeBytes;
    for (let p = 0; p < outputs; p++, at += 4) {
      const index = load<i32>(argmax + at);
      if (index >= 0) {
        const d = image + ((<usize>index) << 2);
        store<f32>(d, load<f32>(d) + load<f32>(dy + at));
      }
    }
  }
}

export function avgPoolForward(
  x: usize, y: usize,
  batch: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32,
  strideH: i32, strideW: i32, padH: i32, padW: i32, outH: i32, outW: i32,
): void {
  const planes = batch * channels;
  const planeBytes = (<usize>(height * width)) << 2;
  const divisor = f64x2.splat(<f64>(kernelH * kernelW));
  // Four outputs at a time as in maxPoolForward, summed in f64 in the reference's order; taps
  // outside the image add +0, which leaves a sum that starts at +0 unchanged.
  const inLo = min(outW, (padW + strideW - 1) / strideW);
  const limit = width + padW - kernelW;
  const inHi = max(inLo, limit < 0 ? 0 : min(outW, limit / strideW + 1));
  const laneStep = i32x4(0, strideW, 2 * strideW, 3 * strideW);
  const lastColumn = i32x4.splat(width - 1);
  const zero = i32x4.splat(0);
  let at: usize = 0;
  for (let bc = 0; bc < planes; bc++) {
    const image = x + <usize>bc * planeBytes;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * strideH - padH;
      const i0 = max(0, -y0), i1 = min(kernelH, height - y0);
      for (let ox = 0; ox < outW; ox += 4) {
        const count = min(4, outW - ox);
        const interior = ox >= inLo && ox + 4 <= inHi;
        const x0 = ox * strideW - padW;
        let lo = f64x2.splat(0), hi = f64x2.splat(0);
        for (let i = i0; i < i1; i++) {
          const line = (y0 + i) * width;
          for (let j = 0; j < kernelW; j++) {
            let v: v128;
            if (interior) v = gather(image + ((<usize>(line + x0 + j)) << 2), strideW);
            else {
              const xs = i32x4.add(i32x4.splat(x0 + j), laneStep);
              const valid = v128.and(i32x4.ge_s(xs, zero), i32x4.le_s(xs, lastColumn));
              const c = i32x4.add(i32x4.splat(line), i32x4.min_s(i32x4.max_s(xs, zero), lastColumn));
              v = v128.and(valid, f32x4(
                load<f32>(image + ((<usize>i32x4.extract_lane(c, 0)) << 2)),
                load<f32>(image + ((<usize>i32x4.extract_lane(c, 1)) << 2)),
                load<f32>(image + ((<usize>i32x4.extract_lane(c, 2)) << 2)),
                load<f32>(image + ((<usize>i32x4.extract_lane(c, 3)) << 2)),
              ));
            }
            lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
            hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
          }
        }
        const out = v128.shuffle<f32>(f32x4.demote_f64x2_zero(f64x2.div(lo, divisor)), f32x4.demote_f64x2_zero(f64x2.div(hi, divisor)), 0, 1, 4, 5);
        if (count == 4) v128.store(y + at, out);
        else {
          store<f32>(y + at, f32x4.extract_lane(out, 0));
          if (count > 1) store<f32>(y + at, f32x4.extract_lane(out, 1), 4);
          if (count > 2) store<f32>(y + at, f32x4.extract_lane(out, 2), 8);
        }
        at += (<usize>count) << 2;
      }
    }
  }
}

export function avgPoolBackward(
  dy: usize, dx: usize,
  batch: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32,
  strideH: i32, strideW: i32, padH: i32, padW: i32, outH: i32, outW: i32,
): void {
  const planes = batch * channels;
  const planeBytes = (<usize>(height * width)) << 2;
  const divisor = <f64>(kernelH * kernelW);
  zeroBytes(dx, <usize>planes * planeBytes);
  if (kernelH == 2 && kernelW == 2 && strideH == 2 && strideW == 2 && padH == 0 && padW == 0) {
    avgPool2x2Backward(dy, dx, planes, height, width, outH, outW);
    return;
  }
  let at: usize = 0;
  for (let bc = 0; bc < planes; bc++) {
    const image = dx + <usize>bc * planeBytes;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * strideH - padH;
      const i0 = max(0, -y0), i1 = min(kernelH, height - y0);
      for (let ox = 0; ox < outW; ox++, at += 4) {
        const x0 = ox * strideW - padW;
        const j0 = max(0, -x0), j1 = min(kernelW, width - x0);
        const share = <f64>load<f32>(dy + at) / divisor;
        for (let i = i0; i < i1; i++) {
          const line = image + ((<usize>((y0 + i) * width + x0)) << 2);
          for (let j = j0; j < j1; j++) {
            const d = line + ((<usize>j) << 2);
            store<f32>(d, <f32>(<f64>load<f32>(d) + share));
          }
        }
      }
    }
  }
}

/**
 * Average pooling backward, 2×2 stride 2 without padding: every pixel gets at most one share, so
 * it is 0 + dy/4 rounded once — the f32 quotient, the reference's bits.
 */
function avgPool2x2Backward(dy: usize, dx: usize, planes: i32, height: i32, width: i32, outH: i32, outW: i32): void {
  const planeBytes = (<usize>(height * width)) << 2;
  const rowBytes = (<usize>width) << 2;
  const four = f32x4.splat(4);
  let at: usize = 0;
  for (let bc = 0; bc < planes; bc++) {
    const image = dx + <usize>bc * planeBytes;
    for (let oy = 0; oy < outH; oy++) {
      const r0 = image + <usize>(2 * oy) * rowBytes;
      const r1 = r0 + rowBytes;
      let ox = 0;
      for (; ox + 4 <= outW; ox += 4, at += 16) {
        const share = f32x4.div(v128.load(dy + at), four);
        const a = v128.shuffle<f32>(share, share, 0, 0, 1, 1);
        const b = v128.shuffle<f32>(share, share, 2, 2, 3, 3);
        const o = (<usize>(2 * ox)) << 2;
        v128.store(r0 + o, a);
        v128.store(r0 + o, b, 16);
        v128.store(r1 + o, a);
        v128.store(r1 + o, b, 16);
      }
      for (; ox < outW; ox++, at += 4) {
        const share = load<f32>(dy + at) / 4;
        const o = (<usize>(2 * ox)) << 2;
        store<f32>(r0 + o, share);
        store<f32>(r0 + o, share, 4);
        store<f32>(r1 + o, share);
        store<f32>(r1 + o, share, 4);
      }
    }
  }
}

import { zeroBytes } from './zero';
// Convolution (im2col / col2im) and pooling over NCHW batches, plus the channel-major reorders
// around the convolution GEMM. Semantics and, where it matters, the order of additions per
// output value mirror src/backend/js/window-ops.ts, so every kernel here gives the reference's
// bits exactly (col2im and the pooling backward passes add each pixel's contributions in the
// same order; average pooling sums in f64 as JavaScript numbers do).
//
// Every window export takes a geometry as twelve integers (WINDOW_GEOMETRY_FIELDS order); the
// `…Batches` variants take a range of images [b0, b1) so a thread can do a share of the batch.

/** First output column whose window tap j lands inside the image (ox·stride − pad + j ≥ 0). */
// @ts-ignore: decorator
@inline function firstInside(j: i32, stride: i32, pad: i32): i32 {
  const need = pad - j;
  return need <= 0 ? 0 : (need + stride - 1) / stride;
}

/** One past the last output column whose tap j lands inside (ox·stride − pad + j < size), at most `out`. */
// @ts-ignore: decorator
@inline function endInside(j: i32, stride: i32, pad: i32, size: i32, out: i32): i32 {
  const limit = size + pad - j;
  return limit <= 0 ? 0 : min(out, (limit + stride - 1) / stride);
}

/**
 * dst[0 … n) = src[0 … n), four floats at a time; a run of at least four ends with one vector
 * over its last four floats (overlapping the previous one) instead of a scalar tail.
 */
// @ts-ignore: decorator
@inline function copyRun(dst: usize, src: usize, n: i32): void {
  if (n < 4) {
    for (let k = 0; k < n; k++) store<f32>(dst + (<usize>k << 2), load<f32>(src + (<usize>k << 2)));
    return;
  }
  let k = 0;
  for (; k + 8 <= n; k += 8) {
    const o = <usize>k << 2;
    v128.store(dst + o, v128.load(src + o));
    v128.store(dst + o, v128.load(src + o, 16), 16);
  }
  if (k + 4 <= n) {
    v128.store(dst + (<usize>k << 2), v128.load(src + (<usize>k << 2)));
    k += 4;
  }
  if (k < n) {
    const o = (<usize>(n - 4)) << 2;
    v128.store(dst + o, v128.load(src + o));
  }
}

/** dst[0 … n) += src[0 … n). */
// @ts-ignore: decorator
@inline function addRun(dst: usize, src: usize, n: i32): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const o = <usize>k << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; k < n; k++) {
    const o = <usize>k << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

// @ts-ignore: decorator
@inline function zeroRun(dst: usize, n: i32): void {
  for (let k = 0; k < n; k++) store<f32>(dst + (<usize>k << 2), 0);
}

/** dst[0 … n) = 0, four floats at a time (the last vector overlapping when n is not a multiple of 4). */
// @ts-ignore: decorator
@inline function zeroBlock(dst: usize, n: i32): void {
  if (n < 4) {
    zeroRun(dst, n);
    return;
  }
  const zero = f32x4.splat(0);
  let k = 0;
  for (; k + 4 <= n; k += 4) v128.store(dst + (<usize>k << 2), zero);
  if (k < n) v128.store(dst + ((<usize>(n - 4)) << 2), zero);
}

/**
 * `lines` runs of n ≥ 4 floats: dst advances by dstBytes, src by srcBytes per line. Each run is
 * whole vectors plus, when n is not a multiple of 4, one vector over its last four floats
 * (overlapping the one before): no scalar tail, and no per-line branch on n.
 */
// @ts-ignore: decorator
@inline function copyLines(dst: usize, dstBytes: usize, src: usize, srcBytes: usize, lines: i32, n: i32): void {
  const whole = (<usize>(n & ~3)) << 2;
  const last = (<usize>(n - 4)) << 2;
  for (let l = 0; l < lines; l++, dst += dstBytes, src += srcBytes) {
    for (let o: usize = 0; o < whole; o += 16) v128.store(dst + o, v128.load(src + o));
    v128.store(dst + last, v128.load(src + last));
  }
}

/**
 * dst[0 … n) += src[0 … n) for `lines` runs of n ≥ 4 floats (dst advances by dstBytes, src by
 * srcBytes). A run that is not a multiple of 4 ends with one vector over its last four floats,
 * summed from dst's values read before any store of the run (so the lanes it shares with the
 * vector before it get the same single addition, stored twice): every float still receives
 * exactly one addition, as in addRun, and no load waits on a store it half overlaps.
 */
// @ts-ignore: decorator
@inline function addLines(dst: usize, dstBytes: usize, src: usize, srcBytes: usize, lines: i32, n: i32): void {
  const whole = (<usize>(n & ~3)) << 2;
  const last = (<usize>(n - 4)) << 2;
  for (let l = 0; l < lines; l++, dst += dstBytes, src += srcBytes) {
    const tail = f32x4.add(v128.load(dst + last), v128.load(src + last));
    for (let o: usize = 0; o < whole; o += 16) v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
    v128.store(dst + last, tail);
  }
}

export function im2col(
  x: usize, col: usize,
  batch: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32,
  strideH: i32, strideW: i32, padH: i32, padW: i32, outH: i32, outW: i32,
): void {
  im2colBatches(x, col, batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW, 0, batch);
}

/** im2col for images b0 … b1 − 1 only (their columns of every row). */
export function im2colBatches(
  x: usize, col: usize,
  batch: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32,
  strideH: i32, strideW: i32, padH: i32, padW: i32, outH: i32, outW: i32,
  b0: i32, b1: i32,
): void {
  const positions = <usize>(outH * outW);
  const rowBytes = (<usize>batch * positions) << 2;
  const planeBytes = (<usize>(height * width)) << 2;
  const lineBytes = (<usize>outW) << 2;
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < kernelH; i++) {
      for (let j = 0; j < kernelW; j++) {
        const row = col + <usize>((c * kernelH + i) * kernelW + j) * rowBytes;
        const lo = firstInside(j, strideW, padW);
        const hi = max(lo, endInside(j, strideW, padW, width, outW));
        const run = hi - lo;
        const first = lo * strideW - padW + j;
        if (strideW == 1 && run >= 4) {
          im2colTap(x, row, positions, planeBytes, channels, c, i, height, width, strideH, padH, outH, outW, lo, hi, first, b0, b1);
          continue;
        }
        for (let b = b0; b < b1; b++) {
          const image = x + <usize>(b * channels + c) * planeBytes;
          let at = row + ((<usize>b * positions) << 2);
          for (let oy = 0; oy < outH; oy++, at += lineBytes) {
            const y = oy * strideH - padH + i;
            if (y < 0 || y >= height || run == 0) {
              zeroRun(at, outW);
              continue;
            }
            zeroRun(at, lo);
            const src = image + ((<usize>(y * width + first)) << 2);
            const dst = at + ((<usize>lo) << 2);
            if (strideW == 1) copyRun(dst, src, run);
            else for (let k = 0; k < run; k++) store<f32>(dst + (<usize>k << 2), load<f32>(src + ((<usize>(k * strideW)) << 2)));
            zeroRun(at + ((<usize>hi) << 2), outW - hi);
          }
        }
      }
    }
  }
}

/**
 * One row of the column matrix (tap i, j of channel c) for images b0 … b1 − 1, horizontal stride
 * 1, at least 4 columns of each output line inside the image: the output lines above and below
 * the image are one zeroed block each, the lines inside are copied by copyLines (with the 0–pad
 * columns at either end zeroed) — no per-line test of y.
 */
function im2colTap(
  x: usize, row: usize, positions: usize, planeBytes: usize, channels: i32, c: i32, i: i32,
  height: i32, width: i32, strideH: i32, padH: i32, outH: i32, outW: i32, lo: i32, hi: i32, first: i32,
  b0: i32, b1: i32,
): void {
  const lineBytes = (<usize>outW) << 2;
  const yLo = firstInside(i, strideH, padH);
  const yHi = max(yLo, endInside(i, strideH, padH, height, outH));
  const srcBytes = (<usize>(strideH * width)) << 2;
  const run = hi - lo;
  const edges = lo > 0 || hi < outW;
  for (let b = b0; b < b1; b++) {
    const image = x + <usize>(b * channels + c) * planeBytes;
    const at = row + ((<usize>b * positions) << 2);
    zeroBlock(at, yLo * outW);
    if (yHi > yLo) {
      const top = at + <usize>yLo * lineBytes;
      if (edges) {
        let line = top;
        for (let oy = yLo; oy < yHi; oy++, line += lineBytes) {
          zeroRun(line, lo);
          zeroRun(line + ((<usize>hi) << 2), outW - hi);
        }
      }
      const src = image + ((<usize>((yLo * strideH - padH + i) * width + first)) << 2);
      copyLines(top + ((<usize>lo) << 2), lineBytes, src, srcBytes, yHi - yLo, run);
    }
    zeroBlock(at + <usize>yHi * lineBytes, (outH - yHi) * outW);
  }
}

export function col2im(
  col: usize, dx: usize,
  batch: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32,
  strideH: i32, strideW: i32, padH: i32, padW: i32, outH: i32, outW: i32,
): void {
  col2imBatches(col, dx, batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW, 0, batch);
}

/**
 * col2im for images b0 … b1 − 1: one image channel at a time (it stays in L1 while every tap
 * adds into it), taps in (i, j) order — for each pixel the reference's order of additions.
 */
export function col2imBatches(
  col: usize, dx: usize,
  batch: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32,
  strideH: i32, strideW: i32, padH: i32, padW: i32, outH: i32, outW: i32,
  b0: i32, b1: i32,
): void {
  const positions = <usize>(outH * outW);
  const rowBytes = (<usize>batch * positions) << 2;
  const planeBytes = (<usize>(height * width)) << 2;
  const lineBytes = (<usize>outW) << 2;
  for (let b = b0; b < b1; b++) {
    for (let c = 0; c < channels; c++) {
      const image = dx + <usize>(b * channels + c) * planeBytes;
      zeroBytes(image, planeBytes);
      for (let i = 0; i < kernelH; i++) {
        for (let j = 0; j < kernelW; j++) {
          const lo = firstInside(j, strideW, padW);
          const hi = max(lo, endInside(j, strideW, padW, width, outW));
          const run = hi - lo;
          if (run == 0) continue;
          const first = lo * strideW - padW + j;
          let at = col + <usize>((c * kernelH + i) * kernelW + j) * rowBytes + ((<usize>b * positions) << 2) + ((<usize>lo) << 2);
          if (strideW == 1 && run >= 4) {
            // The output lines whose tap row lands inside the image, without a per-line test.
            const yLo = firstInside(i, strideH, padH);
            const yHi = max(yLo, endInside(i, strideH, padH, height, outH));
            if (yHi > yLo) {
              const dst = image + ((<usize>((yLo * strideH - padH + i) * width + first)) << 2);
              addLines(dst, (<usize>(strideH * width)) << 2, at + <usize>yLo * lineBytes, lineBytes, yHi - yLo, run);
            }
            continue;
          }
          for (let oy = 0; oy < outH; oy++, at += lineBytes) {
            const y = oy * strideH - padH + i;
            if (y < 0 || y >= height) continue;
            const dst = image + ((<usize>(y * width + first)) << 2);
            if (strideW == 1) addRun(dst, at, run);
            else {
              for (let k = 0; k < run; k++) {
                const d = dst + ((<usize>(k * strideW)) << 2);
                store<f32>(d, load<f32>(d) + load<f32>(at + (<usize>k << 2)));
              }
            }
          }
        }
      }
    }
  }
}

export function channelMajorToBatch(src: usize, dst: usize, bias: usize, batch: i32, channels: i32, inner: i32): void {
  const innerBytes = (<usize>inner) << 2;
  for (let c = 0; c < channels; c++) {
    const add = bias ? load<f32>(bias + ((<usize>c) << 2)) : <f32>0;
    const addV = f32x4.splat(add);
    for (let b = 0; b < batch; b++) {
      const from = src + <usize>(c * batch + b) * innerBytes;
      const to = dst + <usize>(b * channels + c) * innerBytes;
      if (!bias) {
        copyRun(to, from, inner);
        continue;
      }
      let p = 0;
      for (; p + 4 <= inner; p += 4) {
        const o = <usize>p << 2;
        v128.store(to + o, f32x4.add(v128.load(from + o), addV));
      }
      for (; p < inner; p++) {
        const o = <usize>p << 2;
        store<f32>(to + o, load<f32>(from + o) + add);
      }
    }
  }
}

export function batchToChannelMajor(src: usize, dst: usize, batch: i32, channels: i32, inner: i32): void {
  const innerBytes = (<usize>inner) << 2;
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      copyRun(dst + <usize>(c * batch + b) * innerBytes, src + <usize>(b * channels + c) * innerBytes, inner);
    }
  }
}

/** sums[c] (+)= Σ x[b, c, ·], accumulated in f64 (two lanes of f64x2 per f32x4 load). */
export function channelSums(x: usize, sums: usize, batch: i32, channels: i32, inner: i32, accumulate: i32): void {
  const innerBytes = (<usize>inner) << 2;
  for (let c = 0; c < channels; c++) {
    let acc = f64x2.splat(0);
    let tail: f64 = 0;
    for (let b = 0; b < batch; b++) {
      const from = x + <usize>(b * channels + c) * innerBytes;
      let p = 0;
      for (; p + 4 <= inner; p += 4) {
        const v = v128.load(from + (<usize>p << 2));
        acc = f64x2.add(acc, f64x2.add(f64x2.promote_low_f32x4(v), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))));
      }
      for (; p < inner; p++) tail += <f64>load<f32>(from + (<usize>p << 2));
    }
    const sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1) + tail;
    const at = sums + ((<usize>c) << 2);
    store<f32>(at, accumulate ? <f32>(<f64>load<f32>(at) + sum) : <f32>sum);
  }
}

/**
 * dst [channels, batch, inner] = dy [batch, channels, inner] masked by the ReLU output y (0 where
 * y ≤ 0; no mask when y = 0), and dBias[c] (+)= Σ of channel c's values in f64 (as channelSums)
 * when dBias ≠ 0: one pass instead of a ReLU backward, a reorder and a channel sum.
 */
export function convOutputGradient(dy: usize, y: usize, dst: usize, dBias: usize, batch: i32, channels: i32, inner: i32, accumulate: i32): void {
  const innerBytes = (<usize>inner) << 2;
  const zero = f32x4.splat(0);
  for (let c = 0; c < channels; c++) {
    let acc = f64x2.splat(0);
    let tail: f64 = 0;
    for (let b = 0; b < batch; b++) {
      const from = <usize>(b * channels + c) * innerBytes;
      const to = dst + <usize>(c * batch + b) * innerBytes;
      let p = 0;
      for (; p + 4 <= inner; p += 4) {
        const o = <usize>p << 2;
        let v = v128.load(dy + from + o);
        if (y) v = v128.and(v, f32x4.gt(v128.load(y + from + o), zero));
        v128.store(to + o, v);
        acc = f64x2.add(acc, f64x2.add(f64x2.promote_low_f32x4(v), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))));
      }
      for (; p < inner; p++) {
        const o = <usize>p << 2;
        let v = load<f32>(dy + from + o);
        if (y && !(load<f32>(y + from + o) > 0)) v = 0;
        store<f32>(to + o, v);
        tail += <f64>v;
      }
    }
    if (dBias) {
      const sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1) + tail;
      const at = dBias + ((<usize>c) << 2);
      store<f32>(at, accumulate ? <f32>(<f64>load<f32>(at) + sum) : <f32>sum);
    }
  }
}

// Batch normalisation over [batch, channels, inner] buffers, per channel, as
// src/backend/js/batch-norm.ts: statistics summed in f64 (two f64x2 lanes, so the order of the
// sums differs from the reference's by a rounding of f64 at most), then every per-element formula
// evaluated in f64 exactly as JavaScript evaluates it and rounded once to f32 — xhat, y and dx
// match the reference bit for bit given the same statistics.

// @ts-ignore: decorator
@inline function low64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

// @ts-ignore: decorator
@inline function high64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
}

/** Four f32 from two f64x2 (each rounded once). */
// @ts-ignore: decorator
@inline function join32(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

// @ts-ignore: decorator
@inline function sum2(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

export function batchNormForward(
  x: usize, y: usize, xhat: usize, gamma: usize, beta: usize, mean: usize, invStd: usize,
  runningMean: usize, runningVar: usize,
  batch: i32, channels: i32, inner: i32, momentum: f64, eps: f64, training: i32,
): void {
  const count = <f64>batch * <f64>inner;
  const innerBytes = (<usize>inner) << 2;
  for (let c = 0; c < channels; c++) {
    const co = (<usize>c) << 2;
    let mu: f64, variance: f64;
    if (training) {
      let acc = f64x2.splat(0);
      let tail: f64 = 0;
      for (let b = 0; b < batch; b++) {
        const from = x + <usize>(b * channels + c) * innerBytes;
        let p = 0;
        for (; p + 4 <= inner; p += 4) {
          const v = v128.load(from + (<usize>p << 2));
          acc = f64x2.add(acc, f64x2.add(low64(v), high64(v)));
        }
        for (; p < inner; p++) tail += <f64>load<f32>(from + (<usize>p << 2));
      }
      mu = (sum2(acc) + tail) / count;
      const m = f64x2.splat(mu);
      acc = f64x2.splat(0);
      tail = 0;
      for (let b = 0; b < batch; b++) {
        const from = x + <usize>(b * channels + c) * innerBytes;
        let p = 0;
        for (; p + 4 <= inner; p += 4) {
          const v = v128.load(from + (<usize>p << 2));
          const d0 = f64x2.sub(low64(v), m), d1 = f64x2.sub(high64(v), m);
          acc = f64x2.add(acc, f64x2.add(f64x2.mul(d0, d0), f64x2.mul(d1, d1)));
        }
        for (; p < inner; p++) {
          const d = <f64>load<f32>(from + (<usize>p << 2)) - mu;
          tail += d * d;
        }
      }
      const squares = sum2(acc) + tail;
      variance = squares / count;
      const unbiased = count > 1 ? squares / (count - 1) : variance;
      store<f32>(runningMean + co, <f32>((1 - momentum) * <f64>load<f32>(runningMean + co) + momentum * mu));
      store<f32>(runningVar + co, <f32>((1 - momentum) * <f64>load<f32>(runningVar + co) + momentum * unbiased));
    } else {
      mu = <f64>load<f32>(runningMean + co);
      variance = <f64>load<f32>(runningVar + co);
    }
    store<f32>(mean + co, <f32>mu);
    store<f32>(invStd + co, <f32>(1 / Math.sqrt(variance + eps)));
    // The float32 values just stored are what the backward pass reads: normalise with them too.
    const m32 = <f64>load<f32>(mean + co), s32 = <f64>load<f32>(invStd + co);
    const g = <f64>load<f32>(gamma + co), shift = <f64>load<f32>(beta + co);
    const mv = f64x2.splat(m32), sv = f64x2.splat(s32), gv = f64x2.splat(g), bv = f64x2.splat(shift);
    for (let b = 0; b < batch; b++) {
      const o = <usize>(b * channels + c) * innerBytes;
      let p = 0;
      for (; p + 4 <= inner; p += 4) {
        const q = o + (<usize>p << 2);
        const v = v128.load(x + q);
        const h = join32(f64x2.mul(f64x2.sub(low64(v), mv), sv), f64x2.mul(f64x2.sub(high64(v), mv), sv));
        v128.store(xhat + q, h);
        v128.store(y + q, join32(f64x2.add(f64x2.mul(gv, low64(h)), bv), f64x2.add(f64x2.mul(gv, high64(h)), bv)));
      }
      for (; p < inner; p++) {
        const q = o + (<usize>p << 2);
        const h = <f32>((<f64>load<f32>(x + q) - m32) * s32);
        store<f32>(xhat + q, h);
        store<f32>(y + q, <f32>(g * <f64>h + shift));
      }
    }
  }
}

export function batchNormBackward(
  dy: usize, xhat: usize, gamma: usize, invStd: usize, dx: usize, dGamma: usize, dBeta: usize,
  batch: i32, channels: i32, inner: i32, accumulate: i32, training: i32,
): void {
  const count = <f64>batch * <f64>inner;
  const innerBytes = (<usize>inner) << 2;
  for (let c = 0; c < channels; c++) {
    const co = (<usize>c) << 2;
    let accDy = f64x2.splat(0), accDyXhat = f64x2.splat(0);
    let tailDy: f64 = 0, tailDyXhat: f64 = 0;
    for (let b = 0; b < batch; b++) {
      const o = <usize>(b * channels + c) * innerBytes;
      let p = 0;
      for (; p + 4 <= inner; p += 4) {
        const q = o + (<usize>p << 2);
        const d = v128.load(dy + q), h = v128.load(xhat + q);
        const d0 = low64(d), d1 = high64(d);
        accDy = f64x2.add(accDy, f64x2.add(d0, d1));
        accDyXhat = f64x2.add(accDyXhat, f64x2.add(f64x2.mul(d0, low64(h)), f64x2.mul(d1, high64(h))));
      }
      for (; p < inner; p++) {
        const q = o + (<usize>p << 2);
        const d = <f64>load<f32>(dy + q);
        tailDy += d;
        tailDyXhat += d * <f64>load<f32>(xhat + q);
      }
    }
    const sumDy = sum2(accDy) + tailDy, sumDyXhat = sum2(accDyXhat) + tailDyXhat;
    store<f32>(dGamma + co, accumulate ? <f32>(<f64>load<f32>(dGamma + co) + sumDyXhat) : <f32>sumDyXhat);
    store<f32>(dBeta + co, accumulate ? <f32>(<f64>load<f32>(dBeta + co) + sumDy) : <f32>sumDy);
    const k = <f64>load<f32>(gamma + co) * <f64>load<f32>(invStd + co);
    const kv = f64x2.splat(k);
    const meanDy = training ? sumDy / count : 0, meanDyXhat = training ? sumDyXhat / count : 0;
    const mdv = f64x2.splat(meanDy), mhv = f64x2.splat(meanDyXhat);
    for (let b = 0; b < batch; b++) {
      const o = <usize>(b * channels + c) * innerBytes;
      let p = 0;
      if (training) {
        // k · (dy − meanDy − xhat·meanDyXhat), in the reference's order of operations.
        for (; p + 4 <= inner; p += 4) {
          const q = o + (<usize>p << 2);
          const d = v128.load(dy + q), h = v128.load(xhat + q);
          const lo = f64x2.mul(kv, f64x2.sub(f64x2.sub(low64(d), mdv), f64x2.mul(low64(h), mhv)));
          const hi = f64x2.mul(kv, f64x2.sub(f64x2.sub(high64(d), mdv), f64x2.mul(high64(h), mhv)));
          v128.store(dx + q, join32(lo, hi));
        }
        for (; p < inner; p++) {
          const q = o + (<usize>p << 2);
          store<f32>(dx + q, <f32>(k * (<f64>load<f32>(dy + q) - meanDy - <f64>load<f32>(xhat + q) * meanDyXhat)));
        }
      } else {
        for (; p + 4 <= inner; p += 4) {
          const q = o + (<usize>p << 2);
          const d = v128.load(dy + q);
          v128.store(dx + q, join32(f64x2.mul(kv, low64(d)), f64x2.mul(kv, high64(d))));
        }
        for (; p < inner; p++) {
          const q = o + (<usize>p << 2);
          store<f32>(dx + q, <f32>(k * <f64>load<f32>(dy + q)));
        }
      }
    }
  }
}

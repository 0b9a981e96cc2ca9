// The vector helpers the direct convolution and the Winograd transforms (F(2×2, 3×3) and F(2×2, 5×5)) share.

/** Stores the first `count` (≥ 1) lanes of v at `at`: all four with one store, fewer one by one. */
// @ts-ignore: decorator
@inline export function storeLanes(at: usize, v: v128, count: i32): void {
  if (count >= 4) {
    v128.store(at, v);
    return;
  }
  store<f32>(at, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(at, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(at, f32x4.extract_lane(v, 2), 8);
}

// @ts-ignore: decorator
@inline export function evens(a: v128, b: v128): v128 {
  return v128.shuffle<f32>(a, b, 0, 2, 4, 6);
}
// @ts-ignore: decorator
@inline export function odds(a: v128, b: v128): v128 {
  return v128.shuffle<f32>(a, b, 1, 3, 5, 7);
}

/** The first `count` (≥ 1) lanes at `at`, zeros in the others. */
// @ts-ignore: decorator
@inline export function loadLanes(at: usize, count: i32): v128 {
  if (count >= 4) return v128.load(at);
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(at));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(at, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(at, 8));
  return v;
}

/** Copies `rows` × `cols` floats between two row-major layouts of `srcStride` and `dstStride` floats. */
// @ts-ignore: decorator
@inline export function copyRect(src: usize, srcStride: i32, dst: usize, dstStride: i32, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const s = src + ((<usize>(r * srcStride)) << 2);
    const d = dst + ((<usize>(r * dstStride)) << 2);
    let k = 0;
    for (; k + 4 <= cols; k += 4) v128.store(d + (<usize>k << 2), v128.load(s + (<usize>k << 2)));
    if (k == cols) continue;
    if (cols >= 4) {
      // The last 1–3 columns with one vector over the last four (two of them copied again).
      const at = (<usize>(cols - 4)) << 2;
      v128.store(d + at, v128.load(s + at));
    } else {
      for (; k < cols; k++) store<f32>(d + (<usize>k << 2), load<f32>(s + (<usize>k << 2)));
    }
  }
}

/**
 * Writes one image's output gradient gY (dy at byte `offset`, masked by y > 0 when y is given)
 * into rows of `rowBytes` at `plane` (outH × outW of them) and returns `sums` plus gY, lane by lane
 * (the F(2×2, 3×3) and F(2×2, 5×5) output-gradient kernels share it).
 */
// @ts-ignore: decorator
@inline export function maskedGradientImage(dy: usize, y: usize, offset: usize, plane: usize, rowBytes: usize, outH: i32, outW: i32, sums: v128): v128 {
  const zero = f32x4.splat(0);
  const lane = i32x4(0, 1, 2, 3);
  for (let r = 0; r < outH; r++) {
    const s = offset + ((<usize>(r * outW)) << 2);
    const d = plane + <usize>r * rowBytes;
    let k = 0;
    for (; k + 4 <= outW; k += 4) {
      let g = v128.load(dy + s + (<usize>k << 2));
      if (y) g = v128.and(g, f32x4.gt(v128.load(y + s + (<usize>k << 2)), zero));
      sums = f32x4.add(sums, g);
      v128.store(d + (<usize>k << 2), g);
    }
    if (k < outW && outW >= 4) {
      // The last 1–3 columns with one vector over the last four; only the new lanes count in the sum.
      const at = (<usize>(outW - 4)) << 2;
      let g = v128.load(dy + s + at);
      if (y) g = v128.and(g, f32x4.gt(v128.load(y + s + at), zero));
      sums = f32x4.add(sums, v128.and(g, i32x4.ge_s(lane, i32x4.splat(4 - (outW - k)))));
      v128.store(d + at, g);
      k = outW;
    }
    // Rows narrower than four: one by one, into lane 0.
    for (; k < outW; k++) {
      let g = load<f32>(dy + s + (<usize>k << 2));
      if (y && !(load<f32>(y + s + (<usize>k << 2)) > 0)) g = 0;
      sums = f32x4.replace_lane(sums, 0, f32x4.extract_lane(sums, 0) + g);
      store<f32>(d + (<usize>k << 2), g);
    }
  }
  return sums;
}

/**
 * One output row of four 2×2 tiles: the tiles' left (`left`) and right (`right`) outputs, ReLU'd
 * when `relu`, interleaved into eight neighbouring floats at `at` (the Winograd output transforms).
 */
// @ts-ignore: decorator
@inline export function storeTileRow(at: usize, left: v128, right: v128, relu: i32): void {
  if (relu) {
    left = f32x4.max(left, f32x4.splat(0));
    right = f32x4.max(right, f32x4.splat(0));
  }
  v128.store(at, v128.shuffle<f32>(left, right, 0, 4, 1, 5));
  v128.store(at, v128.shuffle<f32>(left, right, 2, 6, 3, 7), 16);
}

/** dBias[o] (+)= the four lanes of `sums`, added lane 0 to 3 (the Winograd output-gradient transforms). */
// @ts-ignore: decorator
@inline export function storeBiasSum(dBias: usize, o: i32, sums: v128, accumulate: i32): void {
  const at = dBias + ((<usize>o) << 2);
  const lanes = f32x4.extract_lane(sums, 0) + f32x4.extract_lane(sums, 1) + f32x4.extract_lane(sums, 2) + f32x4.extract_lane(sums, 3);
  store<f32>(at, (accumulate ? load<f32>(at) : 0) + lanes);
}

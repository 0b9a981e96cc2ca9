// The partial-vector store the direct convolution and the Winograd transforms share.

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

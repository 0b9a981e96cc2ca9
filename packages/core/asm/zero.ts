// Shared by the kernel files.

/**
 * Zeroes `bytes` bytes (a multiple of 4) at `dst` with vector stores. Not memory.fill: in a worker
 * thread V8 checks a bulk-memory operation against the memory size that thread last saw, which
 * can lag behind a growth of the shared memory by the main thread (measured: a worker's
 * maxPoolBackward trapped "out of bounds" on buffers allocated after its last job), while plain
 * loads and stores see the growth at once.
 */
// @ts-ignore: decorator
@inline export function zeroBytes(dst: usize, bytes: usize): void {
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) v128.store(dst + o, i32x4.splat(0));
  for (; o < bytes; o += 4) store<i32>(dst + o, 0);
}

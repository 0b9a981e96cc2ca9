import { describe, expect, it } from 'vitest';
import { createJsBackend } from '../js/js-backend.js';
import { growingBlock, MemoryArena } from './memory-arena.js';
import { wasmGlobal } from './wasm-api.js';
import { createWasmBackend } from './wasm-backend.js';

describe('wasm backend memory', () => {
  it('reuses released blocks (free list) so repeated model creation does not grow memory', async () => {
    const backend = await createWasmBackend();
    const before = backend.liveBytes();
    for (let round = 0; round < 50; round++) {
      const buffers = [backend.allocate(784 * 256), backend.allocate(256), backend.allocate(10 * 128 + 3)];
      for (const b of buffers) backend.release(b);
    }
    expect(backend.liveBytes()).toBe(before);
    const a = backend.allocate(1000);
    const b = backend.allocate(1000);
    const aOffset = a.byteOffset;
    backend.release(a);
    const c = backend.allocate(900); // fits in a's hole: first fit returns the same offset
    expect(c.byteOffset).toBe(aOffset);
    expect(Array.from(c.subarray(0, 4))).toEqual([0, 0, 0, 0]); // re-zeroed
    backend.release(b);
    backend.release(c);
  });

  it('zeroes a block handed out again from the top of the arena (a released block at the top)', async () => {
    const backend = await createWasmBackend();
    const top = backend.allocate(4096);
    top.fill(7);
    const offset = top.byteOffset;
    backend.release(top); // the bump pointer falls back below it
    const again = backend.allocate(4096);
    expect(again.byteOffset).toBe(offset);
    expect(again.every((x) => x === 0)).toBe(true);
    backend.release(again);
  });

  it('keeps earlier buffers valid when the shared memory grows', async () => {
    const backend = await createWasmBackend({ initialMemoryBytes: 1 << 20 });
    expect(backend.variant.shared).toBe(true);
    const early = backend.allocate(1000);
    early.fill(1.5);
    const big = backend.allocate(32 << 20); // 128 MB: forces growth
    // Inside wasm memory (a later SharedArrayBuffer object over the same grown memory), not the
    // plain-array fallback.
    expect(big.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(big.buffer).not.toBe(early.buffer);
    expect(big.buffer.byteLength).toBeGreaterThanOrEqual(128 << 20);
    big[big.length - 1] = 2;
    expect(early[999]).toBe(1.5);
    const out = backend.allocate(1000);
    backend.scale(early, 1000, 2); // a kernel on a view of the pre-growth buffer
    expect(early[0]).toBe(3);
    backend.gemm(false, false, 1, 1000, 1, new Float32Array([2]), early, out, false);
    expect(out[999]).toBe(6);
    backend.release(big);
  });

  it('an unshared memory never grows: past its size allocate returns plain arrays and kernels stay correct', async () => {
    const backend = await createWasmBackend({ sharedMemory: false, initialMemoryBytes: 1 << 20 });
    expect(backend.variant.shared).toBe(false);
    const inside = backend.allocate(1000);
    const outside = backend.allocate(1 << 20); // 4 MB > the 1 MB memory
    expect(outside.length).toBe(1 << 20);
    inside.fill(1);
    outside.fill(1);
    // A GEMM too large to stage through the full memory falls back to the reference kernel.
    const c = new Float32Array(1);
    backend.gemm(false, true, 1, 1, 1 << 20, outside, outside, c, false);
    expect(c[0]).toBe(1 << 20);
    const reference = createJsBackend();
    const expected = new Float32Array(1);
    reference.gemm(false, true, 1, 1, 1000, inside, inside, expected, false);
    backend.gemm(false, true, 1, 1, 1000, inside, inside, c, false);
    expect(c[0]).toBe(expected[0]);
  });
  it('a growing scratch block keeps its pointer for smaller sizes, moves only to grow, and says -1 when memory is full', () => {
    const arena = new MemoryArena(wasmGlobal()!, { shared: false, initialBytes: 1 << 20, maximumBytes: 1 << 20 });
    const scratch = growingBlock(arena);
    const first = scratch(4096);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(scratch(1024)).toBe(first);
    expect(scratch(4096)).toBe(first);
    const live = arena.liveBytes;
    const grown = scratch(64 * 1024);
    expect(grown).toBeGreaterThanOrEqual(0);
    expect(arena.liveBytes - live).toBe(64 * 1024 - 4096); // the old block was released
    expect(scratch(2 << 20)).toBe(-1); // past the memory's 1 MiB
    expect(scratch(1024)).toBeGreaterThanOrEqual(0); // and usable again afterwards
  });
});

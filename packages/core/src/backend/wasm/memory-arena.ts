import { PAGE_BYTES, type WasmMemory, type WasmNamespace } from './wasm-api.js';

/** Bytes reserved at the bottom of memory for the module's static data (asc --memoryBase 1024). */
const STATIC_BYTES = PAGE_BYTES;
/** Every block starts on a cache line, which also satisfies v128 alignment. */
const ALIGN = 64;

interface Block {
  offset: number;
  bytes: number;
}

export interface ArenaOptions {
  /** Use a shared memory (growable without detaching views; required for threads). */
  shared: boolean;
  /** Initial size in bytes. */
  initialBytes: number;
  /** Largest size in bytes the memory may reach. */
  maximumBytes: number;
}

/**
 * Allocator over one WebAssembly memory: bump allocation plus a first-fit free list that
 * coalesces neighbours, so models created and dropped repeatedly (the desktop app) reuse memory.
 *
 * Views must outlive growth. A shared memory grows in place (its old SharedArrayBuffer objects
 * keep seeing the same bytes), so it grows on demand up to `maximumBytes`. An unshared memory
 * would detach every view on growth, so it is created at `initialBytes` and never grows: when it
 * is full, `tryAllocate` returns null and the backend hands out an ordinary Float32Array instead
 * (kernels stage such arrays through scratch space, or fall back to the reference kernel).
 */
export class MemoryArena {
  readonly memory: WasmMemory;
  readonly shared: boolean;
  private readonly maximumBytes: number;
  private readonly free: Block[] = [];
  private readonly live = new Map<number, number>();
  private top = STATIC_BYTES;
  /** Every ArrayBuffer object the memory has exposed; views on any of them are "inside". */
  private readonly buffers = new Set<ArrayBuffer | SharedArrayBuffer>();
  private current: ArrayBuffer | SharedArrayBuffer;

  constructor(wasm: WasmNamespace, options: ArenaOptions) {
    const initial = Math.max(2, Math.ceil(options.initialBytes / PAGE_BYTES));
    const maximum = Math.max(initial, Math.ceil(options.maximumBytes / PAGE_BYTES));
    this.shared = options.shared;
    this.memory = options.shared
      ? new wasm.Memory({ initial, maximum, shared: true })
      : new wasm.Memory({ initial, maximum: initial });
    this.maximumBytes = (options.shared ? maximum : initial) * PAGE_BYTES;
    this.current = this.memory.buffer;
    this.buffers.add(this.current);
  }

  /** The memory's buffer as of now (a new object after a shared memory grows). */
  get buffer(): ArrayBuffer | SharedArrayBuffer {
    return this.current;
  }

  /** Is `view` a view on this memory (so its byteOffset is a pointer the kernels can use)? */
  contains(view: ArrayBufferView): boolean {
    return view.buffer === this.current || this.buffers.has(view.buffer);
  }

  /** Byte offset of a zero-filled block of at least `bytes` bytes, or null when it cannot fit. */
  tryAllocate(bytes: number): number | null {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    for (let i = 0; i < this.free.length; i++) {
      const block = this.free[i];
      if (block.bytes < size) continue;
      const offset = block.offset;
      if (block.bytes === size) this.free.splice(i, 1);
      else {
        block.offset += size;
        block.bytes -= size;
      }
      new Uint8Array(this.current, offset, size).fill(0);
      this.live.set(offset, size);
      return offset;
    }
    if (this.top + size > this.current.byteLength && !this.grow(this.top + size)) return null;
    const offset = this.top;
    this.top += size;
    // Memory below an old high-water mark may hold a released block's data: zero it too.
    new Uint8Array(this.current, offset, size).fill(0);
    this.live.set(offset, size);
    return offset;
  }

  /** Returns a block from `tryAllocate`; unknown offsets (double release) are ignored. */
  release(offset: number): void {
    const size = this.live.get(offset);
    if (size === undefined) return;
    this.live.delete(offset);
    if (offset + size === this.top) {
      this.top = offset;
      // Fold a free block that now ends at the top back into the bump region.
      const last = this.free.length > 0 ? this.free[this.free.length - 1] : null;
      if (last && last.offset + last.bytes === this.top) {
        this.top = last.offset;
        this.free.pop();
      }
      return;
    }
    // Keep the free list sorted by offset and merge with neighbours.
    let i = 0;
    while (i < this.free.length && this.free[i].offset < offset) i++;
    const block: Block = { offset, bytes: size };
    this.free.splice(i, 0, block);
    const next = this.free[i + 1];
    if (next && block.offset + block.bytes === next.offset) {
      block.bytes += next.bytes;
      this.free.splice(i + 1, 1);
    }
    const previous = i > 0 ? this.free[i - 1] : null;
    if (previous && previous.offset + previous.bytes === block.offset) {
      previous.bytes += block.bytes;
      this.free.splice(i, 1);
    }
  }

  /** Bytes handed out and not yet released (for tests and diagnostics). */
  get liveBytes(): number {
    let total = 0;
    for (const size of this.live.values()) total += size;
    return total;
  }

  /** Bytes between the static area and the bump pointer (the high-water mark in use). */
  get usedBytes(): number {
    return this.top - STATIC_BYTES;
  }

  private grow(neededBytes: number): boolean {
    if (!this.shared || neededBytes > this.maximumBytes) return false;
    const have = this.current.byteLength;
    // Grow geometrically so repeated allocations do not grow one page at a time.
    const target = Math.min(this.maximumBytes, Math.max(neededBytes, have * 1.5));
    this.memory.grow(Math.ceil((target - have) / PAGE_BYTES));
    this.current = this.memory.buffer;
    this.buffers.add(this.current);
    return true;
  }
}

/**
 * A scratch block kept for one user of `arena`: each call returns its pointer with room for at
 * least `bytes`, growing it (release, then a larger allocation) when a larger size comes and never
 * shrinking it, so a training loop allocates only on its first batch; −1 when the memory is full.
 */
export function growingBlock(arena: MemoryArena): (bytes: number) => number {
  let at = 0;
  let size = 0;
  return (bytes) => {
    if (bytes > size) {
      if (size > 0) arena.release(at);
      const got = arena.tryAllocate(bytes);
      at = got ?? 0;
      size = got === null ? 0 : bytes;
    }
    return size >= bytes ? at : -1;
  };
}

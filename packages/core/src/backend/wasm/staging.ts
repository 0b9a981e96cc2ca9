import type { MemoryArena } from './memory-arena.js';

/** One kernel argument: a view, how many elements the kernel touches, and whether it writes them. */
export interface StagedArgument {
  view: Float32Array | Int32Array | null;
  length: number;
  output: boolean;
}

/**
 * Runs kernels on arrays that do not live in WebAssembly memory by copying them through a
 * scratch block (inputs in, outputs back out). This is the slow path that keeps every caller
 * correct; buffers from `backend.allocate` never take it. The same view passed twice (e.g. `dx`
 * aliasing `dy`) is staged once, so in-place kernels stay in place.
 */
export class Staging {
  private scratch = 0;
  private scratchBytes = 0;

  constructor(private readonly arena: MemoryArena) {}

  /**
   * Pointers for `args` (0 for null), staged where needed, then `run(pointers)`; outputs are
   * copied back. Returns `undefined` without running when the scratch block cannot grow (an
   * unshared memory that is full) so the caller can fall back to the reference kernel.
   */
  run<T>(args: StagedArgument[], run: (pointers: number[]) => T): T | undefined {
    const pointers: number[] = [];
    const placed: Array<{ view: Float32Array | Int32Array; at: number; length: number; output: boolean }> = [];
    let needed = 0;
    for (const arg of args) {
      if (arg.view && !this.arena.contains(arg.view) && !placed.some((p) => p.view === arg.view)) {
        placed.push({ view: arg.view, at: needed, length: Math.min(arg.length, arg.view.length), output: false });
        needed += Math.ceil((arg.length * 4) / 64) * 64;
      }
    }
    if (needed > this.scratchBytes && !this.ensure(needed)) return undefined;
    const buffer = this.arena.buffer;
    for (const p of placed) {
      p.at += this.scratch;
      const target = p.view instanceof Int32Array ? new Int32Array(buffer, p.at, p.length) : new Float32Array(buffer, p.at, p.length);
      target.set(p.view.subarray(0, p.length));
    }
    for (const arg of args) {
      if (!arg.view) {
        pointers.push(0);
        continue;
      }
      const p = placed.find((q) => q.view === arg.view);
      if (p) {
        if (arg.output) p.output = true;
        pointers.push(p.at);
      } else pointers.push(arg.view.byteOffset);
    }
    const result = run(pointers);
    const after = this.arena.buffer;
    for (const p of placed) {
      if (!p.output) continue;
      const source = p.view instanceof Int32Array ? new Int32Array(after, p.at, p.length) : new Float32Array(after, p.at, p.length);
      p.view.set(source);
    }
    return result;
  }

  private ensure(bytes: number): boolean {
    const generous = Math.max(bytes, this.scratchBytes * 2, 1 << 16);
    if (this.scratchBytes > 0) this.arena.release(this.scratch);
    this.scratchBytes = 0;
    for (const size of [generous, bytes]) {
      const at = this.arena.tryAllocate(size);
      if (at !== null) {
        this.scratch = at;
        this.scratchBytes = size;
        return true;
      }
    }
    return false;
  }
}

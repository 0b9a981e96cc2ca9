import { WINDOW_GEOMETRY_FIELDS, type WindowGeometry } from '../backend.js';
import type { KernelExports } from './kernel-exports.js';
import type { MemoryArena } from './memory-arena.js';
import { WORKER_BODY } from './worker-source.js';
import type { WasmModule } from './wasm-api.js';
import { defaultWorkerFactory, type WorkerFactory, type WorkerHandle } from './host-environment.js';

export type { WorkerFactory, WorkerHandle } from './host-environment.js';

/** Work below this many floating-point operations runs on one thread: waking a worker costs more. */
const GEMM_THREAD_FLOPS = 1 << 21;
/**
 * A matrix-vector product (a few rows times Wᵀ: single-image inference) splits from this size,
 * but only while every worker is spinning: it streams each weight once, so two cores stream twice
 * the bytes per second, and a spinning worker starts in well under a microsecond. A sleeping one
 * would cost more than the product: that call runs on one thread and only wakes the worker, so
 * back-to-back predictions find it spinning.
 */
const DOT_THREAD_FLOPS = 1 << 16;
/** Adam splits only over at least this many parameters (below that the hand-off costs more). */
const ADAM_THREAD_LENGTH = 1 << 15;
/**
 * How long an idle worker keeps spinning before it sleeps. Between two kernels of a training step
 * the main thread runs the small kernels alone (well under a millisecond); waking a sleeping
 * worker costs tens of microseconds, a spinning one a few hundred nanoseconds.
 */
const WORKER_SPIN_MS = 2;
/** Per-worker control block: 16 int32 flags, then 24 float64 arguments. */
const CONTROL_BYTES = 256;
/**
 * im2col / col2im split by images from this many column entries (both stream the column matrix
 * once; each image's share is computed exactly as on one thread, so the bits do not change).
 */
const WINDOW_THREAD_COLUMNS = 1 << 16;
const OP_GEMM = 0;
const OP_ADAM = 1;
const OP_IM2COL = 2;
const OP_COL2IM = 3;
const OP_CONV_OUTPUT = 4;
const OP_ACTIVATION_FORWARD = 5;
const OP_ACTIVATION_BACKWARD = 6;
const OP_EXIT = -1;
/**
 * A convolution's output reorder and elementwise activations split by images (or by elements)
 * from this many values: each streams its buffers once, so two cores halve it, and a
 * spinning worker starts in well under a microsecond. Every value is computed as on one thread.
 */
const STREAM_THREAD_VALUES = 1 << 16;

interface WorkerSlot {
  control: Int32Array;
  args: Float64Array;
  generation: number;
  pack: number;
  packBytes: number;
}

/** Splits large kernels across the main thread and workers sharing one WebAssembly memory. */
export interface ThreadPool {
  readonly threads: number;
  /** Runs the GEMM split across threads; false (nothing done) when it is too small to win. */
  gemm(ta: boolean, tb: boolean, m: number, n: number, k: number, pa: number, pb: number, pc: number, acc: boolean): boolean;
  /** Runs Adam split across threads; false (nothing done) when it is too small to win. */
  adam(...args: Parameters<KernelExports['adamUpdate']>): boolean;
  /** Runs im2col (or col2im) split by images across threads; false (nothing done) when it is too small to win. */
  window(kind: 'im2col' | 'col2im', src: number, dst: number, g: WindowGeometry): boolean;
  /** channelMajorToBatchActivation split by images; false (nothing done) when it is too small to win. */
  convOutput(kind: number, src: number, dst: number, bias: number, batch: number, channels: number, inner: number, alpha: number): boolean;
  /** activationForward (dy = dx = 0) or activationBackward split by elements; false when too small to win. */
  activation(forward: boolean, kind: number, x: number, y: number, dy: number, dx: number, n: number, alpha: number): boolean;
  dispose(): void;
}

export interface ThreadPoolOptions {
  module: WasmModule;
  arena: MemoryArena;
  kernels: KernelExports;
  /** The main thread's pack scratch for a GEMM with n columns (-1 when memory is full). */
  packFor(n: number): number;
  threads: number;
  createWorker?: WorkerFactory;
}

/**
 * Starts `threads − 1` workers that instantiate the same module on the same shared memory and
 * wait on a futex in their control block. Kernels stay synchronous: the main thread publishes
 * each worker's share, computes its own, then waits for the others (spinning briefly, then
 * `Atomics.wait` where the platform allows it on this thread). Returns null when no worker can
 * be started here (no worker support), so the caller runs on one thread.
 */
export async function startThreadPool(options: ThreadPoolOptions): Promise<ThreadPool | null> {
  const { arena, kernels } = options;
  const factory = options.createWorker ?? (await defaultWorkerFactory());
  if (!factory) return null;
  const slots: WorkerSlot[] = [];
  const handles: WorkerHandle[] = [];
  for (let w = 1; w < options.threads; w++) {
    const at = arena.tryAllocate(CONTROL_BYTES);
    if (at === null) break;
    const handle = await factory(WORKER_BODY);
    await new Promise<void>((resolve, reject) => {
      handle.onMessage(() => resolve());
      handle.onError(reject);
      handle.postMessage({ module: options.module, memory: arena.memory, control: at, spinMs: WORKER_SPIN_MS });
    });
    handles.push(handle);
    slots.push({
      control: new Int32Array(arena.buffer, at, 16),
      args: new Float64Array(arena.buffer, at + 64, 24),
      generation: 0,
      pack: 0,
      packBytes: 0,
    });
  }
  if (slots.length === 0) return null;
  const threads = slots.length + 1;
  let canBlock = true;

  const publish = (slot: WorkerSlot, op: number): void => {
    slot.generation++;
    slot.control[2] = op;
    Atomics.store(slot.control, 0, slot.generation);
    if (Atomics.load(slot.control, 3) === 1) Atomics.notify(slot.control, 0);
  };
  const waitFor = (slot: WorkerSlot): void => {
    let spins = 0;
    for (;;) {
      const finished = Atomics.load(slot.control, 1);
      if (finished === slot.generation) return;
      if (++spins < 20000 || !canBlock) continue;
      Atomics.store(slot.control, 4, 1);
      try {
        Atomics.wait(slot.control, 1, finished, 1);
      } catch {
        canBlock = false; // a browser main thread may not block: keep spinning
      }
      Atomics.store(slot.control, 4, 0);
    }
  };
  /** True when every worker is spinning; a sleeping one is woken (no job) so the next call finds it spinning. */
  const allSpinning = (): boolean => {
    let spinning = true;
    for (const slot of slots) {
      if (Atomics.load(slot.control, 3) === 0) continue;
      Atomics.notify(slot.control, 0);
      spinning = false;
    }
    return spinning;
  };
  const workerPack = (slot: WorkerSlot, n: number): number => {
    const needed = kernels.packBytes(n);
    if (needed > slot.packBytes) {
      if (slot.packBytes > 0) arena.release(slot.pack);
      const at = arena.tryAllocate(needed);
      slot.pack = at ?? 0;
      slot.packBytes = at === null ? 0 : needed;
    }
    return slot.packBytes >= needed ? slot.pack : -1;
  };

  // Kernels split into ranges of a unit (an image, or a float): `base` holds the kernel's
  // arguments for the whole call, `perUnit` what each argument advances by per unit of the range
  // (bytes for pointers, 0 for the rest); the range's count, start or end go to their slots.
  // Preallocated: the per-batch path allocates nothing.
  const base = new Float64Array(16);
  const perUnit = new Float64Array(16);
  const mainArgs = new Float64Array(16);
  let countAt = -1;
  let startAt = -1;
  let endAt = -1;
  const place = (args: Float64Array, start: number, end: number): void => {
    for (let i = 0; i < 16; i++) args[i] = base[i] + start * perUnit[i];
    if (countAt >= 0) args[countAt] = end - start;
    if (startAt >= 0) args[startAt] = start;
    if (endAt >= 0) args[endAt] = end;
  };
  const exportFor = (op: number): ((...args: number[]) => void) =>
    op === OP_CONV_OUTPUT
      ? kernels.channelMajorToBatchActivationBatches
      : op === OP_ACTIVATION_FORWARD
        ? kernels.activationForward
        : kernels.activationBackward;
  /** Runs `op` over [0, total) in shares of whole `granule`s (the main thread takes the first). */
  const split = (op: number, total: number, granule: number): void => {
    const chunk = Math.ceil(total / threads / granule) * granule;
    let used = 0;
    for (let w = 0; w < slots.length; w++) {
      const start = chunk * (w + 1);
      if (start >= total) break;
      place(slots[w].args, start, Math.min(total, start + chunk));
      publish(slots[w], op);
      used++;
    }
    place(mainArgs, 0, Math.min(chunk, total));
    const m = mainArgs;
    exportFor(op)(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9], m[10], m[11], m[12], m[13], m[14], m[15]);
    for (let w = 0; w < used; w++) waitFor(slots[w]);
  };
  const resetSplit = (): void => {
    base.fill(0);
    perUnit.fill(0);
    countAt = startAt = endAt = -1;
  };

  return {
    threads,
    convOutput(kind, src, dst, bias, batch, channels, inner, alpha) {
      if (slots.length === 0 || batch < 2 || batch * channels * inner < STREAM_THREAD_VALUES) return false;
      resetSplit();
      base[0] = kind;
      base[1] = src;
      base[2] = dst;
      base[3] = bias;
      base[4] = batch;
      base[5] = channels;
      base[6] = inner;
      base[7] = alpha;
      startAt = 8;
      endAt = 9;
      split(OP_CONV_OUTPUT, batch, 1);
      return true;
    },
    activation(forward, kind, x, y, dy, dx, n, alpha) {
      if (slots.length === 0 || n < STREAM_THREAD_VALUES) return false;
      resetSplit();
      base[0] = kind;
      base[1] = x;
      base[2] = y;
      perUnit[1] = perUnit[2] = 4;
      if (forward) {
        base[4] = alpha;
        countAt = 3;
      } else {
        base[3] = dy;
        base[4] = dx;
        perUnit[3] = perUnit[4] = 4;
        base[6] = alpha;
        countAt = 5;
      }
      // Shares of whole cache lines (16 floats), so no line is written by two threads.
      split(forward ? OP_ACTIVATION_FORWARD : OP_ACTIVATION_BACKWARD, n, 16);
      return true;
    },
    gemm(ta, tb, m, n, k, pa, pb, pc, acc) {
      if (slots.length === 0) return false;
      const flops = 2 * m * n * k;
      if (flops < GEMM_THREAD_FLOPS && !(m < 4 && tb && !ta && flops >= DOT_THREAD_FLOPS && allSpinning())) return false;
      const lda = ta ? m : k;
      const ldb = tb ? k : n;
      // Split columns when each thread still gets a few panels (no duplicated packing), else rows.
      // Column shares are whole 64-byte cache lines (16 floats): two threads writing the two
      // halves of one line of C would pass it back and forth on every store.
      const byColumns = n >= 32 * threads;
      const unit = byColumns ? 16 : 4;
      const extent = byColumns ? n : m;
      const chunk = Math.ceil(extent / threads / unit) * unit;
      if (chunk >= extent) return false;
      const packColumns = byColumns ? chunk : n;
      for (const slot of slots) if (workerPack(slot, packColumns) < 0) return false;
      const mainPack = options.packFor(packColumns);
      if (mainPack < 0) return false;
      // Written field by field (no argument arrays): the per-batch path allocates nothing.
      let used = 0;
      for (let w = 0; w < slots.length; w++) {
        const start = chunk * (w + 1);
        if (start >= extent) break;
        const count = Math.min(chunk, extent - start);
        const args = slots[w].args;
        args[0] = ta ? 1 : 0;
        args[1] = tb ? 1 : 0;
        args[2] = byColumns ? m : count;
        args[3] = byColumns ? count : n;
        args[4] = k;
        args[5] = byColumns ? pa : ta ? pa + start * 4 : pa + start * k * 4;
        args[6] = lda;
        args[7] = byColumns ? (tb ? pb + start * k * 4 : pb + start * 4) : pb;
        args[8] = ldb;
        args[9] = byColumns ? pc + start * 4 : pc + start * n * 4;
        args[10] = n;
        args[11] = acc ? 1 : 0;
        args[12] = slots[w].pack;
        publish(slots[w], OP_GEMM);
        used++;
      }
      kernels.gemm(ta ? 1 : 0, tb ? 1 : 0, byColumns ? m : chunk, byColumns ? chunk : n, k, pa, lda, pb, ldb, pc, n, acc ? 1 : 0, mainPack);
      for (let w = 0; w < used; w++) waitFor(slots[w]);
      return true;
    },
    adam(pp, pg, pm, pv, n, stepSize, beta1, oneMinusBeta1, beta2, oneMinusBeta2, invSqrtCorrection2, eps, decay, l2) {
      if (slots.length === 0 || n < ADAM_THREAD_LENGTH) return false;
      const chunk = Math.ceil(n / threads / 4) * 4;
      let used = 0;
      for (let w = 0; w < slots.length; w++) {
        const start = chunk * (w + 1);
        if (start >= n) break;
        const o = start * 4;
        const args = slots[w].args;
        args[0] = pp + o;
        args[1] = pg + o;
        args[2] = pm + o;
        args[3] = pv + o;
        args[4] = Math.min(chunk, n - start);
        args[5] = stepSize;
        args[6] = beta1;
        args[7] = oneMinusBeta1;
        args[8] = beta2;
        args[9] = oneMinusBeta2;
        args[10] = invSqrtCorrection2;
        args[11] = eps;
        args[12] = decay;
        args[13] = l2;
        publish(slots[w], OP_ADAM);
        used++;
      }
      kernels.adamUpdate(pp, pg, pm, pv, Math.min(chunk, n), stepSize, beta1, oneMinusBeta1, beta2, oneMinusBeta2, invSqrtCorrection2, eps, decay, l2);
      for (let w = 0; w < used; w++) waitFor(slots[w]);
      return true;
    },
    window(kind, src, dst, g) {
      const columns = g.channels * g.kernelH * g.kernelW * g.batch * g.outH * g.outW;
      if (slots.length === 0 || g.batch < 2 || columns < WINDOW_THREAD_COLUMNS) return false;
      const chunk = Math.ceil(g.batch / threads);
      let used = 0;
      for (let w = 0; w < slots.length; w++) {
        const start = chunk * (w + 1);
        if (start >= g.batch) break;
        const args = slots[w].args;
        args[0] = src;
        args[1] = dst;
        for (let f = 0; f < WINDOW_GEOMETRY_FIELDS.length; f++) args[2 + f] = g[WINDOW_GEOMETRY_FIELDS[f]];
        args[14] = start;
        args[15] = Math.min(g.batch, start + chunk);
        publish(slots[w], kind === 'im2col' ? OP_IM2COL : OP_COL2IM);
        used++;
      }
      const run = kind === 'im2col' ? kernels.im2colBatches : kernels.col2imBatches;
      run(src, dst, g.batch, g.channels, g.height, g.width, g.kernelH, g.kernelW, g.strideH, g.strideW, g.padH, g.padW, g.outH, g.outW, 0, chunk);
      for (let w = 0; w < used; w++) waitFor(slots[w]);
      return true;
    },
    dispose() {
      for (const slot of slots) publish(slot, OP_EXIT);
      for (const handle of handles) handle.terminate();
      slots.length = 0;
    },
  };
}

import { WINDOW_GEOMETRY_FIELDS, type WindowGeometry } from '../backend.js';
import type { KernelExports } from './kernel-exports.js';
import type { WinogradSplit } from './winograd.js';
import type { MemoryArena } from './memory-arena.js';
import { OP, POOL_OPS } from './pool-ops.js';
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
/**
 * im2col / col2im split by images from this many column entries (both stream the column matrix
 * once; each image's share is computed exactly as on one thread, so the bits do not change).
 */
const WINDOW_THREAD_COLUMNS = 1 << 16;
/** A Winograd tile transform splits by channels from this many Winograd-domain values (it streams them once, as the reorders). */
const WINOGRAD_THREAD_VALUES = 1 << 16;
const OP_EXIT = -1;

// ---- The direct convolution and max pooling (asm/direct-conv.ts, asm/pooling.ts) ----
/**
 * A direct convolution (forward or weight gradient) splits from this many flops (2 per
 * multiply-add; under 10 µs on one core): LeNet-5's first layer at batch 64 is 15 M, ConvNetJS's
 * at batch 20 is 6 M; a single 28×28 image through 6 channels of 5×5 is 0.24 M and stays on one thread.
 */
const DIRECT_CONV_THREAD_FLOPS = 1 << 18;
/** convPad (the weight gradient's padded copy) and max pooling split by planes / images from this many input values. */
const PAD_THREAD_VALUES = 1 << 14;
const POOL_THREAD_VALUES = 1 << 15;
// ---- end of the direct convolution and pooling block ----
/**
 * A convolution's output reorder and elementwise activations split by images (or by elements)
 * from this many values: each streams its buffers once, so two cores halve it, and a
 * spinning worker starts in well under a microsecond. Every value is computed as on one thread.
 */
const STREAM_THREAD_VALUES = 1 << 16;

/**
 * The job block, shared by every thread (Int32 words, then float64 arguments from byte 64):
 * [0] job sequence (workers spin, then sleep, on it), [1] the claim word, [2] chunks finished,
 * [3] op, [4]–[7] where the chunk's count, start, end and pack pointer go in the arguments (−1:
 * nowhere), [8] units in all, [9] units per chunk, [10] 1 while the caller sleeps on word 2;
 * [16 + w] 1 while worker w sleeps, [32 + w] worker w's pack scratch. Floats: [0, 16) the
 * arguments for the whole call, [16, 32) what each advances by per unit (bytes for pointers).
 */
const JOB_BYTES = 64 * 4 + 32 * 8;
const WORD_SEQUENCE = 0;
const WORD_CLAIM = 1;
const WORD_DONE = 2;
const WORD_CALLER_SLEEPS = 10;
const WORD_WORKER_SLEEPS = 16;
const WORD_WORKER_PACK = 32;
const MAX_WORKERS = 16;
/**
 * The claim word: the job's sequence (12 bits), its chunk count (10) and the next chunk to take
 * (10). A thread takes chunk i by a compare-and-swap of i → i + 1 on the word it read, so a
 * thread that looks late (a worker descheduled mid-loop) can never take a chunk of a newer job.
 */
const MAX_CHUNKS = 1023;
const encodeClaim = (sequence: number, chunks: number): number => ((sequence & 0xfff) << 20) | (chunks << 10);
/**
 * Chunks per thread: a thread that is not running leaves its chunks to the others. 2 rather than
 * 4: in Node, interleaved (784-256-128-10, later epochs, 2 threads) 42–46k samples/s against
 * 36–39k with 4 (fewer hand-offs); the same within noise in Chromium.
 */
const CHUNKS_PER_THREAD = 2;

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
  // The direct convolution and max pooling.
  /** convPad split by planes; false (nothing done) when it is too small to win. */
  convPad(x: number, p: number, planes: number, height: number, width: number, padH: number, padW: number, hp: number, wp: number): boolean;
  /** convDirectForward split by images (descriptor at `descriptor`); false when too small to win. */
  convDirectForward(descriptor: number, batch: number, flops: number): boolean;
  /** Units per chunk for convDirectWeightGradient over `units`, or 0 when it is too small to split. */
  convWeightGradientChunk(units: number, flops: number): number;
  /** convDirectWeightGradient over `units` in chunks of `chunk` (the descriptor says the same chunk). */
  convDirectWeightGradient(descriptor: number, units: number, chunk: number): void;
  /** gemmBatch split by matrices; false (nothing done) when too small to win or the pack scratch cannot be had. */
  gemmBatch(ta: boolean, tb: boolean, m: number, n: number, k: number, count: number, pa: number, pb: number, pc: number, acc: boolean): boolean;
  /** maxPoolForward (x, y, argmax) or maxPoolBackward (dy, argmax, dx) split by images; false when too small to win. */
  maxPool(forward: boolean, a: number, b: number, c: number, g: WindowGeometry): boolean;
  /**
   * A Winograd tile transform (asm/winograd.ts, asm/winograd5.ts) split by channels: `args` holds
   * its first `count` arguments, the channel range [c0, c1) follows; `values` sizes the work.
   * False (nothing done) when too small to win.
   */
  winograd(name: WinogradSplit, args: Float64Array, count: number, channels: number, values: number): boolean;
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
 * wait on the job block's sequence word. Kernels stay synchronous: the main thread publishes a
 * call cut into chunks, takes chunks itself like any worker until none is left, then waits only
 * for chunks a worker took and has not finished (spinning briefly, then `Atomics.wait` where the
 * platform allows it on this thread). A static half per thread made the caller wait out a worker
 * that the OS had not scheduled yet: in Chromium, with the page's threads busy on a 2-core
 * machine, that was most calls (see the desktop README's Threads section). Returns null when no
 * worker can be started here (no worker support), so the caller runs on one thread.
 */
export async function startThreadPool(options: ThreadPoolOptions): Promise<ThreadPool | null> {
  const { arena, kernels } = options;
  const factory = options.createWorker ?? (await defaultWorkerFactory());
  if (!factory) return null;
  const at = arena.tryAllocate(JOB_BYTES);
  if (at === null) return null;
  const words = new Int32Array(arena.buffer, at, 64);
  const base = new Float64Array(arena.buffer, at + 256, 16);
  const perUnit = new Float64Array(arena.buffer, at + 384, 16);
  const handles: WorkerHandle[] = [];
  const packs: Array<{ at: number; bytes: number }> = [];
  for (let w = 0; w < Math.min(options.threads - 1, MAX_WORKERS); w++) {
    const handle = await factory(WORKER_BODY);
    await new Promise<void>((resolve, reject) => {
      handle.onMessage(() => resolve());
      handle.onError(reject);
      handle.postMessage({ module: options.module, memory: arena.memory, job: at, index: w, spinMs: WORKER_SPIN_MS });
    });
    handles.push(handle);
    packs.push({ at: 0, bytes: 0 });
  }
  if (handles.length === 0) {
    arena.release(at);
    return null;
  }
  const threads = handles.length + 1;
  let canBlock = true;
  let sequence = 0;
  let mainPack = 0;

  /** Wakes every sleeping worker; true when all were already spinning. */
  const wakeSleepers = (): boolean => {
    let spinning = true;
    for (let w = 0; w < handles.length; w++) {
      if (Atomics.load(words, WORD_WORKER_SLEEPS + w) === 0) continue;
      spinning = false;
    }
    if (!spinning) Atomics.notify(words, WORD_SEQUENCE);
    return spinning;
  };
  const workerPacks = (n: number): boolean => {
    const needed = kernels.packBytes(n);
    for (let w = 0; w < packs.length; w++) {
      const pack = packs[w];
      if (needed > pack.bytes) {
        if (pack.bytes > 0) arena.release(pack.at);
        const got = arena.tryAllocate(needed);
        pack.at = got ?? 0;
        pack.bytes = got === null ? 0 : needed;
        words[WORD_WORKER_PACK + w] = pack.at;
      }
      if (pack.bytes < needed) return false;
    }
    return true;
  };

  // A call is `op` over units [0, total) (columns, rows, images or floats) in chunks of `chunk`
  // units, the last one taking the remainder: `base` holds the kernel's arguments for the whole
  // call, `perUnit` what each advances by per unit; a chunk's count, start, end and pack scratch
  // go to words[4..7]. The chunks are the same whoever computes them, so the bits are too.
  // Preallocated: the per-batch path allocates nothing.
  const args = new Float64Array(16);
  let countAt = -1;
  let startAt = -1;
  let endAt = -1;
  let packAt = -1;
  // By op, as the worker's table (a WebAssembly export ignores arguments past its own).
  const exportsByOp: Array<(...a: number[]) => void> = POOL_OPS.map((name) => kernels[name]);
  const runChunk = (kernel: (...a: number[]) => void, index: number, chunks: number, total: number, chunk: number): void => {
    const start = index * chunk;
    const end = index === chunks - 1 ? total : start + chunk;
    for (let i = 0; i < 16; i++) args[i] = base[i] + start * perUnit[i];
    if (countAt >= 0) args[countAt] = end - start;
    if (startAt >= 0) args[startAt] = start;
    if (endAt >= 0) args[endAt] = end;
    if (packAt >= 0) args[packAt] = mainPack;
    const a = args;
    kernel(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15]);
  };
  /**
   * Runs `op` over [0, total) in chunks of `chunk` units (at most MAX_CHUNKS: chunkOf makes about
   * CHUNKS_PER_THREAD per thread); a last chunk under `smallestLast` units joins the one before.
   * Publishes the call, then takes chunks until none is left, then waits only for chunks a worker
   * has taken and not finished. A worker that is not running (asleep, or preempted by the OS —
   * on a 2-core machine any other busy thread takes one core) takes nothing, so the caller is
   * never held up by work nobody has started.
   */
  const run = (op: number, total: number, chunk: number, smallestLast = 1): void => {
    let chunks = Math.ceil(total / chunk);
    if (chunks > 1 && total - (chunks - 1) * chunk < smallestLast) chunks--;
    words[3] = op;
    words[4] = countAt;
    words[5] = startAt;
    words[6] = endAt;
    words[7] = packAt;
    words[8] = total;
    words[9] = chunk;
    Atomics.store(words, WORD_DONE, 0);
    sequence = (sequence + 1) | 0;
    Atomics.store(words, WORD_CLAIM, encodeClaim(sequence, chunks));
    Atomics.store(words, WORD_SEQUENCE, sequence);
    wakeSleepers();
    const kernel = exportsByOp[op];
    let done = 0;
    for (;;) {
      const claim = Atomics.load(words, WORD_CLAIM);
      const index = claim & 0x3ff;
      if (index >= chunks) break;
      if (Atomics.compareExchange(words, WORD_CLAIM, claim, claim + 1) !== claim) continue;
      runChunk(kernel, index, chunks, total, chunk);
      done = Atomics.add(words, WORD_DONE, 1) + 1;
    }
    let spins = 0;
    while (done < chunks) {
      done = Atomics.load(words, WORD_DONE);
      if (done >= chunks || ++spins < 20000 || !canBlock) continue;
      Atomics.store(words, WORD_CALLER_SLEEPS, 1);
      try {
        Atomics.wait(words, WORD_DONE, done, 1);
      } catch {
        canBlock = false; // a browser main thread may not block: keep spinning
      }
      Atomics.store(words, WORD_CALLER_SLEEPS, 0);
    }
  };
  const reset = (): void => {
    base.fill(0);
    perUnit.fill(0);
    countAt = startAt = endAt = packAt = -1;
  };
  /** Chunks of whole `granule`s, about CHUNKS_PER_THREAD per thread (never over MAX_CHUNKS), at least `smallest` units. */
  const chunkOf = (total: number, granule: number, smallest = granule): number =>
    Math.max(smallest, Math.ceil(total / Math.min(MAX_CHUNKS, threads * CHUNKS_PER_THREAD) / granule) * granule);

  return {
    threads,
    convOutput(kind, src, dst, bias, batch, channels, inner, alpha) {
      if (batch < 2 || batch * channels * inner < STREAM_THREAD_VALUES) return false;
      reset();
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
      run(OP.channelMajorToBatchActivationBatches, batch, chunkOf(batch, 1));
      return true;
    },
    activation(forward, kind, x, y, dy, dx, n, alpha) {
      if (n < STREAM_THREAD_VALUES) return false;
      reset();
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
      // Chunks of whole cache lines (16 floats), so no line is written by two threads.
      run(forward ? OP.activationForward : OP.activationBackward, n, chunkOf(n, 16));
      return true;
    },
    gemm(ta, tb, m, n, k, pa, pb, pc, acc) {
      const flops = 2 * m * n * k;
      if (flops < GEMM_THREAD_FLOPS && !(m < 4 && tb && !ta && flops >= DOT_THREAD_FLOPS && wakeSleepers())) return false;
      const lda = ta ? m : k;
      const ldb = tb ? k : n;
      // Split columns when each thread still gets a few panels (no duplicated packing), else rows.
      // Column chunks are whole 64-byte cache lines (16 floats): two threads writing the two
      // halves of one line of C would pass it back and forth on every store. Row chunks are whole
      // 4-row tiles of at least 16 rows (each packs all of B; fewer rows would pack more than they compute).
      const byColumns = n >= 32 * threads;
      const extent = byColumns ? n : m;
      // Rows of A against rows of B over a long k (dot-product tiles, as the kernel chooses) pack
      // nothing, so any 4 rows make a chunk; a packing product keeps its 1–3 leftover rows in the
      // chunk before, as on one thread (fewer than 4 rows would take the kernel's dot-product path).
      const dotTiles = tb && !ta && k >= 1024;
      // conv-fuse: dot-product tiles store each output once per 1024-long k block, so their column
      // chunks are whole 4-column tiles (a cache line of C shared by two threads costs nothing
      // measurable there): a conv weight gradient's 150 columns split 40+40+40+30, not 48+48+48+6
      // (one thread had 96 columns, the other 54); lenet5's dW 16x150x6400 went 85 -> 103 GFLOP/s.
      const chunk = byColumns ? chunkOf(n, dotTiles ? 4 : 16) : chunkOf(m, 4, dotTiles ? 4 : 16);
      if (chunk >= extent) return false;
      const packColumns = byColumns ? chunk : n;
      if (!workerPacks(packColumns)) return false;
      mainPack = options.packFor(packColumns);
      if (mainPack < 0) return false;
      reset();
      base[0] = ta ? 1 : 0;
      base[1] = tb ? 1 : 0;
      base[2] = m;
      base[3] = n;
      base[4] = k;
      base[5] = pa;
      base[6] = lda;
      base[7] = pb;
      base[8] = ldb;
      base[9] = pc;
      base[10] = n;
      base[11] = acc ? 1 : 0;
      packAt = 12;
      if (byColumns) {
        countAt = 3;
        perUnit[7] = tb ? k * 4 : 4;
        perUnit[9] = 4;
      } else {
        countAt = 2;
        perUnit[5] = ta ? 4 : k * 4;
        perUnit[9] = n * 4;
      }
      run(OP.gemm, extent, chunk, byColumns || dotTiles ? 1 : 4);
      return true;
    },
    gemmBatch(ta, tb, m, n, k, count, pa, pb, pc, acc) {
      if (count < 2 || 2 * m * n * k * count < GEMM_THREAD_FLOPS) return false;
      if (!workerPacks(n)) return false;
      mainPack = options.packFor(n);
      if (mainPack < 0) return false;
      reset();
      base[0] = ta ? 1 : 0;
      base[1] = tb ? 1 : 0;
      base[2] = m;
      base[3] = n;
      base[4] = k;
      base[5] = pa;
      base[6] = pb;
      base[7] = pc;
      base[8] = acc ? 1 : 0;
      perUnit[5] = m * k * 4;
      perUnit[6] = k * n * 4;
      perUnit[7] = m * n * 4;
      packAt = 9;
      countAt = 10;
      run(OP.gemmBatch, count, chunkOf(count, 1));
      return true;
    },
    adam(pp, pg, pm, pv, n, stepSize, beta1, oneMinusBeta1, beta2, oneMinusBeta2, invSqrtCorrection2, eps, decay, l2) {
      if (n < ADAM_THREAD_LENGTH) return false;
      reset();
      base.set([pp, pg, pm, pv, n, stepSize, beta1, oneMinusBeta1, beta2, oneMinusBeta2, invSqrtCorrection2, eps, decay, l2]);
      perUnit[0] = perUnit[1] = perUnit[2] = perUnit[3] = 4;
      countAt = 4;
      run(OP.adamUpdate, n, chunkOf(n, 4));
      return true;
    },
    window(kind, src, dst, g) {
      const columns = g.channels * g.kernelH * g.kernelW * g.batch * g.outH * g.outW;
      if (g.batch < 2 || columns < WINDOW_THREAD_COLUMNS) return false;
      reset();
      base[0] = src;
      base[1] = dst;
      for (let f = 0; f < WINDOW_GEOMETRY_FIELDS.length; f++) base[2 + f] = g[WINDOW_GEOMETRY_FIELDS[f]];
      startAt = 14;
      endAt = 15;
      run(kind === 'im2col' ? OP.im2colBatches : OP.col2imBatches, g.batch, chunkOf(g.batch, 1));
      return true;
    },
    // ---- The direct convolution and max pooling ----
    convPad(x, p, planes, height, width, padH, padW, hp, wp) {
      if (planes < 2 || planes * hp * wp < PAD_THREAD_VALUES) return false;
      reset();
      base[0] = x;
      base[1] = p;
      base[2] = planes;
      base[3] = height;
      base[4] = width;
      base[5] = padH;
      base[6] = padW;
      base[7] = hp;
      base[8] = wp;
      perUnit[0] = height * width * 4;
      perUnit[1] = hp * wp * 4;
      countAt = 2;
      run(OP.convPad, planes, chunkOf(planes, 1));
      return true;
    },
    convDirectForward(descriptor, batch, flops) {
      if (batch < 2 || flops < DIRECT_CONV_THREAD_FLOPS) return false;
      reset();
      base[0] = descriptor;
      startAt = 1;
      endAt = 2;
      run(OP.convDirectForward, batch, chunkOf(batch, 1));
      return true;
    },
    convWeightGradientChunk(units, flops) {
      if (units < 2 || flops < DIRECT_CONV_THREAD_FLOPS) return 0;
      // One chunk per thread: every chunk reads dy and y of each pair it touches for the whole
      // batch (megabytes, from memory), so a pair cut between chunks is read twice. LeNet-5's
      // 15 units (3 pairs × 5 rows), 2 threads, best of 300 calls (load 1.7): 0.27 ms in chunks of
      // 8, 0.30–0.35 of 5 (a pair each), 0.41 of 4, 0.59 of 1; 0.35 on one thread.
      return Math.ceil(units / threads);
    },
    convDirectWeightGradient(descriptor, units, chunk) {
      reset();
      base[0] = descriptor;
      startAt = 1;
      endAt = 2;
      run(OP.convDirectWeightGradient, units, chunk);
    },
    maxPool(forward, a, b, c, g) {
      const inImage = g.channels * g.height * g.width;
      if (g.batch < 2 || g.batch * inImage < POOL_THREAD_VALUES) return false;
      reset();
      base[0] = a;
      base[1] = b;
      base[2] = c;
      for (let f = 0; f < WINDOW_GEOMETRY_FIELDS.length; f++) base[3 + f] = g[WINDOW_GEOMETRY_FIELDS[f]];
      const outImage = g.channels * g.outH * g.outW * 4;
      // Forward: x, y, argmax; backward: dy, argmax, dx. Argmax indices are within a plane.
      perUnit[0] = forward ? inImage * 4 : outImage;
      perUnit[1] = outImage;
      perUnit[2] = forward ? outImage : inImage * 4;
      countAt = 3;
      run(forward ? OP.maxPoolForward : OP.maxPoolBackward, g.batch, chunkOf(g.batch, 1));
      return true;
    },
    // ---- end of the direct convolution and pooling block ----
    winograd(name, values, count, channels, work) {
      if (channels < 2 || work < WINOGRAD_THREAD_VALUES) return false;
      reset();
      for (let i = 0; i < count; i++) base[i] = values[i];
      startAt = count;
      endAt = count + 1;
      run(OP[name], channels, chunkOf(channels, 1));
      return true;
    },
    dispose() {
      if (handles.length === 0) return;
      words[3] = OP_EXIT;
      sequence = (sequence + 1) | 0;
      Atomics.store(words, WORD_CLAIM, encodeClaim(sequence, 0));
      Atomics.store(words, WORD_SEQUENCE, sequence);
      Atomics.notify(words, WORD_SEQUENCE);
      for (const handle of handles) handle.terminate();
      handles.length = 0;
    },
  };
}

import { ConfigError, ErrorCode } from '../../errors.js';
import type { Backend } from '../backend.js';
import { createJsBackend } from '../js/js-backend.js';
import { directConvKernels } from './direct-conv.js';
import { ACTIVATION_CODE, asKernelExports, type KernelExports } from './kernel-exports.js';
import { compileVariant, type KernelVariant } from './load-module.js';
import { growingBlock, MemoryArena } from './memory-arena.js';
import { Staging } from './staging.js';
import { startThreadPool, type ThreadPool, type WorkerFactory } from './thread-pool.js';
import { tableKernels } from './table-kernels.js';
import { type WasmExports, type WasmModule, wasmGlobal } from './wasm-api.js';
import { winogradKernels } from './winograd.js';

/**
 * Kernels whose wrappers come straight from the kernel table. The others are written out below:
 * gemm and Adam split across threads, rmsprop and Adam fold scalars in float64 first, the
 * cross-entropy copies labels into a persistent block, and bytesToUnit reads bytes.
 */
/**
 * Which kernels split across the thread pool beyond the GEMM, Adam and im2col/col2im (always).
 * Every split computes each value as one thread does, so the bits never depend on it; only speed.
 * Figures: whole training steps through fit(), 2 threads, interleaved A/B in one process
 * (bench/src/cnn-step-ab.mjs … splits:name=0|1), best of 10–16 rounds, load 1.6–3.7 (others' builds).
 *
 * - directConv: the direct convolution's forward pass by images and its weight gradient by
 *   (output-channel pair, kernel row). On: LeNet-5 (batch 64) 1.15× faster steps, ConvNetJS MNIST
 *   (batch 20) 1.10×, cnn-32-64 (batch 64) 1.04× (load 1.5–1.6).
 * - pooling: max pooling forward and backward by images. On: LeNet-5 1.04×, ConvNetJS 1.03×,
 *   cnn-32-64 1.03×. (With the old pool, which gave each thread its half up front, it measured 2×
 *   slower than one thread, best of 300 calls; chunks taken by CAS fixed that.)
 * - elementwise: the conv output reorder and the activations. Off: re-measured with the CAS pool,
 *   on vs off 1.00× (LeNet-5), 1.02× best but 0.91× median (ConvNetJS), 1.00× (cnn-32-64): no
 *   win. (With the old pool it made LeNet-5 steps slower: 0.71× PyTorch with it, 0.79× without.)
 */
export interface ThreadSplits {
  directConv: boolean;
  pooling: boolean;
  elementwise: boolean;
}
const SPLITS: ThreadSplits = { directConv: true, pooling: true, elementwise: false };
/** For tests and A/B benches: turns splits on or off; returns the settings before. */
export function setThreadSplits(splits: Partial<ThreadSplits>): ThreadSplits {
  const before = { ...SPLITS };
  Object.assign(SPLITS, splits);
  return before;
}

const TABLE_KERNELS = [
  'biasActivationForward',
  'activationForward',
  'activationBackward',
  'biasGradient',
  'softmax',
  'sgdUpdate',
  'sumOfSquares',
  'scale',
  'multiply',
  'softmaxBackward',
  'squaredError',
  'sigmoidCrossEntropy',
  'im2col',
  'col2im',
  'channelMajorToBatch',
  'channelMajorToBatchActivation',
  'batchToChannelMajor',
  'channelSums',
  'convOutputGradient',
  'maxPoolForward',
  'maxPoolBackward',
  'avgPoolForward',
  'avgPoolBackward',
  'batchNormForward',
  'batchNormBackward',
] as const;

/** Options for {@link createWasmBackend}. Every field has a sensible default. */
export interface WasmBackendOptions {
  /**
   * Threads for large kernels, main thread included (default 1). Needs a shared memory and a way
   * to start workers (worker_threads in Node, Web Workers where `crossOriginIsolated`); when
   * either is missing the backend runs on one thread and says so in `threads`.
   */
  threads?: number;
  /** Use relaxed SIMD (fused multiply-add) when the engine validates it (default true). */
  relaxedSimd?: boolean;
  /** Use a shared memory when the engine allows it (default true; required for threads). */
  sharedMemory?: boolean;
  /** Initial memory in bytes (default 16 MiB). An unshared memory never grows past this. */
  initialMemoryBytes?: number;
  /** Ceiling for a shared memory in bytes (default 2 GiB; reserved address space, not RSS). */
  maximumMemoryBytes?: number;
  /** Starts a worker running the given script source; defaults to worker_threads / Web Workers. */
  createWorker?: WorkerFactory;
}

/** The WebAssembly SIMD backend, with a few extras over {@link Backend}. */
export interface WasmBackend extends Backend {
  readonly name: 'wasm';
  /** Which compiled variant runs. */
  readonly variant: KernelVariant;
  /** Bytes currently allocated and not released (tests, diagnostics). */
  liveBytes(): number;
  /** Stops worker threads. The backend stays usable on one thread. */
  dispose(): void;
}

const MIB = 1024 * 1024;
const DEFAULT_INITIAL = 16 * MIB;
const DEFAULT_UNSHARED_INITIAL = 256 * MIB;
// Not `2048 << 20`: that overflows int32 to a negative number.
const DEFAULT_MAXIMUM = 2048 * MIB;

function supportsSharedMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object';
}

function createArena(options: WasmBackendOptions, wantShared: boolean): MemoryArena {
  const wasm = wasmGlobal()!;
  if (wantShared) {
    try {
      return new MemoryArena(wasm, {
        shared: true,
        initialBytes: options.initialMemoryBytes ?? DEFAULT_INITIAL,
        maximumBytes: options.maximumMemoryBytes ?? DEFAULT_MAXIMUM,
      });
    } catch {
      // Browsers refuse shared memory without cross-origin isolation: fall through.
    }
  }
  const initial = options.initialMemoryBytes ?? DEFAULT_UNSHARED_INITIAL;
  return new MemoryArena(wasm, { shared: false, initialBytes: initial, maximumBytes: initial });
}

/**
 * Creates the WebAssembly SIMD backend. The module is embedded in the bundle (no file or network
 * access), so this works the same in Node, browsers, Web Workers and Electron. Rejects with a
 * `ConfigError` (`BACKEND_UNAVAILABLE`) where WebAssembly SIMD is not supported; use
 * `useFastestBackend()` to fall back to the reference backend automatically.
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const wasm = wasmGlobal();
  const threadsWanted = Math.max(1, Math.floor(options.threads ?? 1));
  const wantShared = (options.sharedMemory ?? true) && supportsSharedMemory();
  const wantRelaxed = options.relaxedSimd ?? true;
  const arena = wasm ? createArena(options, wantShared) : null;
  const shared = arena?.shared ?? false;
  const relaxed = wantRelaxed && compileVariant({ relaxedSimd: true, shared }) !== null;
  const variant: KernelVariant = { relaxedSimd: relaxed, shared };
  const module = compileVariant(variant);
  if (!wasm || !arena || !module) {
    throw new ConfigError(
      ErrorCode.BACKEND_UNAVAILABLE,
      'createWasmBackend: this JavaScript engine does not support WebAssembly SIMD; use createJsBackend() or useFastestBackend()',
    );
  }
  const instance = new wasm.Instance(module, { env: { memory: arena.memory } });
  const kernels = asKernelExports(instance.exports);
  const backend = buildBackend(kernels, arena, variant);
  if (threadsWanted > 1 && shared) {
    await backend.startThreads({ module, threads: threadsWanted, createWorker: options.createWorker });
  }
  return backend;
}

interface BuiltBackend extends WasmBackend {
  startThreads(options: { module: WasmModule; threads: number; createWorker?: WorkerFactory }): Promise<void>;
}

function buildBackend(k: KernelExports, arena: MemoryArena, variant: KernelVariant): BuiltBackend {
  let pool: ThreadPool | null = null;
  const reference = createJsBackend();
  const staging = new Staging(arena);
  const inside = (view: Float32Array | Int32Array | null): boolean => view === null || arena.contains(view);
  const pack = growingBlock(arena);
  const packFor = (n: number): number => pack(k.packBytes(n));
  const runGemm = (ta: boolean, tb: boolean, m: number, n: number, kk: number, pa: number, pb: number, pc: number, acc: boolean): boolean => {
    if (pool?.gemm(ta, tb, m, n, kk, pa, pb, pc, acc)) return true;
    const packAt = packFor(n);
    if (packAt < 0) return false;
    k.gemm(ta ? 1 : 0, tb ? 1 : 0, m, n, kk, pa, ta ? m : kk, pb, tb ? kk : n, pc, n, acc ? 1 : 0, packAt);
    return true;
  };

  const runGemmBatch = (ta: boolean, tb: boolean, m: number, n: number, kk: number, count: number, pa: number, pb: number, pc: number, acc: boolean): boolean => {
    if (pool?.gemmBatch(ta, tb, m, n, kk, count, pa, pb, pc, acc)) return true;
    const packAt = packFor(n);
    if (packAt < 0) return false;
    k.gemmBatch(ta ? 1 : 0, tb ? 1 : 0, m, n, kk, pa, pb, pc, acc ? 1 : 0, packAt, count);
    return true;
  };

  // Labels always arrive as a plain Int32Array (allocate() makes only floats): a persistent block
  // takes them without the generic staging path, which allocates.
  let labelBlock = -1;
  let labelView: Int32Array<ArrayBuffer | SharedArrayBuffer> = new Int32Array(0);
  const copyLabels = (labels: Int32Array, rows: number): number => {
    if (rows > labelView.length) {
      if (labelBlock >= 0) arena.release(labelBlock);
      const at = arena.tryAllocate(Math.max(rows, 1024) * 4);
      labelBlock = at ?? -1;
      labelView = at === null ? new Int32Array(0) : new Int32Array(arena.buffer, at, Math.max(rows, 1024));
      if (at === null) return -1;
    }
    for (let i = 0; i < rows; i++) labelView[i] = labels[i];
    return labelBlock;
  };

  const adam = (
    pp: number,
    pg: number,
    pm: number,
    pv: number,
    n: number,
    stepSize: number,
    beta1: number,
    beta2: number,
    invSqrtCorrection2: number,
    eps: number,
    decay: number,
    l2: number,
  ): void => {
    // 1 − β is formed here in float64 and rounded once (in float32, 1 − 0.999 is 1.3e-5 off).
    if (!pool?.adam(pp, pg, pm, pv, n, stepSize, beta1, 1 - beta1, beta2, 1 - beta2, invSqrtCorrection2, eps, decay, l2)) {
      k.adamUpdate(pp, pg, pm, pv, n, stepSize, beta1, 1 - beta1, beta2, 1 - beta2, invSqrtCorrection2, eps, decay, l2);
    }
  };

  const table = tableKernels(TABLE_KERNELS, k as unknown as WasmExports, arena, staging, reference);
  const backend: BuiltBackend = {
    ...table,
    // Direct convolution (small patches, stride 1): its own scratch for the padded input.
    ...directConvKernels(k, arena, staging, inside, reference, (kind, x, y, n, alpha) => backend.activationForward(kind, x, y, n, alpha), () => (SPLITS.directConv ? pool : null)),
    // Winograd F(2×2, 3×3) transforms: scratch planes of their own, split by channels across threads.
    ...winogradKernels(k, arena, staging, inside, reference, () => pool),
    // im2col / col2im split by images across threads when both buffers live in wasm memory.
    im2col(x, col, g) {
      if (!(pool && inside(x) && inside(col) && pool.window('im2col', x.byteOffset, col.byteOffset, g))) table.im2col(x, col, g);
    },
    col2im(col, dx, g) {
      if (!(pool && inside(col) && inside(dx) && pool.window('col2im', col.byteOffset, dx.byteOffset, g))) table.col2im(col, dx, g);
    },
    // Max pooling split by images across threads when every buffer lives in wasm memory.
    maxPoolForward(x, y, argmax, g) {
      const split = SPLITS.pooling && pool && inside(x) && inside(y) && inside(argmax) && pool.maxPool(true, x.byteOffset, y.byteOffset, argmax.byteOffset, g);
      if (!split) table.maxPoolForward(x, y, argmax, g);
    },
    maxPoolBackward(dy, argmax, dx, g) {
      const split = SPLITS.pooling && pool && inside(dy) && inside(argmax) && inside(dx) && pool.maxPool(false, dy.byteOffset, argmax.byteOffset, dx.byteOffset, g);
      if (!split) table.maxPoolBackward(dy, argmax, dx, g);
    },
    // The convolution's output with its activation and the elementwise activations split across
    // threads when every buffer lives in wasm memory.
    channelMajorToBatchActivation(kind, src, dst, bias, batch, channels, inner, alpha) {
      const split =
        SPLITS.elementwise &&
        pool &&
        inside(src) &&
        inside(dst) &&
        inside(bias) &&
        pool.convOutput(ACTIVATION_CODE[kind], src.byteOffset, dst.byteOffset, bias ? bias.byteOffset : 0, batch, channels, inner, alpha);
      if (!split) table.channelMajorToBatchActivation(kind, src, dst, bias, batch, channels, inner, alpha);
    },
    activationForward(kind, x, y, n, alpha) {
      if (!(SPLITS.elementwise && pool && inside(x) && inside(y) && pool.activation(true, ACTIVATION_CODE[kind], x.byteOffset, y.byteOffset, 0, 0, n, alpha))) {
        table.activationForward(kind, x, y, n, alpha);
      }
    },
    activationBackward(kind, x, y, dy, dx, n, alpha) {
      const split =
        SPLITS.elementwise && pool && inside(x) && inside(y) && inside(dy) && inside(dx) && pool.activation(false, ACTIVATION_CODE[kind], x.byteOffset, y.byteOffset, dy.byteOffset, dx.byteOffset, n, alpha);
      if (!split) table.activationBackward(kind, x, y, dy, dx, n, alpha);
    },
    // Label targets arrive as a plain Int32Array: the persistent label block takes them, as for
    // softmaxCrossEntropy, instead of the generic staging path (which allocates).
    squaredError(y, t, labels, dy, rows, cols, scale) {
      const labelsAt = labels && inside(y) && inside(t) && inside(dy) && !inside(labels) ? copyLabels(labels, rows) : -1;
      if (labelsAt < 0) return table.squaredError(y, t, labels, dy, rows, cols, scale);
      return k.squaredError(y.byteOffset, t ? t.byteOffset : 0, labelsAt, dy ? dy.byteOffset : 0, rows, cols, scale);
    },
    sigmoidCrossEntropy(z, t, labels, dz, rows, cols, scale) {
      const labelsAt = labels && inside(z) && inside(t) && inside(dz) && !inside(labels) ? copyLabels(labels, rows) : -1;
      if (labelsAt < 0) return table.sigmoidCrossEntropy(z, t, labels, dz, rows, cols, scale);
      return k.sigmoidCrossEntropy(z.byteOffset, t ? t.byteOffset : 0, labelsAt, dz ? dz.byteOffset : 0, rows, cols, scale);
    },
    name: 'wasm',
    threads: 1,
    variant,
    allocate(length) {
      const at = arena.tryAllocate(length * 4);
      return at === null ? new Float32Array(length) : new Float32Array(arena.buffer, at, length);
    },
    release(buffer) {
      if (arena.contains(buffer)) arena.release(buffer.byteOffset);
    },
    liveBytes: () => arena.liveBytes,
    async startThreads({ module, threads, createWorker }) {
      pool = await startThreadPool({ module, arena, kernels: k, packFor, threads, createWorker });
      (backend as { threads: number }).threads = pool ? pool.threads : 1;
    },
    dispose() {
      pool?.dispose();
      pool = null;
      (backend as { threads: number }).threads = 1;
    },
    gemm(transA, transB, m, n, kk, a, b, c, accumulate) {
      if (inside(a) && inside(b) && inside(c) && runGemm(transA, transB, m, n, kk, a.byteOffset, b.byteOffset, c.byteOffset, accumulate)) return;
      const done = staging.run(
        [
          { view: a, length: m * kk, output: false },
          { view: b, length: kk * n, output: false },
          { view: c, length: m * n, output: true },
        ],
        ([pa, pb, pc]) => runGemm(transA, transB, m, n, kk, pa, pb, pc, accumulate),
      );
      if (!done) reference.gemm(transA, transB, m, n, kk, a, b, c, accumulate);
    },
    gemmBatch(transA, transB, m, n, kk, count, a, b, c, accumulate) {
      if (inside(a) && inside(b) && inside(c) && runGemmBatch(transA, transB, m, n, kk, count, a.byteOffset, b.byteOffset, c.byteOffset, accumulate)) return;
      const done = staging.run(
        [
          { view: a, length: count * m * kk, output: false },
          { view: b, length: count * kk * n, output: false },
          { view: c, length: count * m * n, output: true },
        ],
        ([pa, pb, pc]) => runGemmBatch(transA, transB, m, n, kk, count, pa, pb, pc, accumulate),
      );
      if (!done) reference.gemmBatch(transA, transB, m, n, kk, count, a, b, c, accumulate);
    },
    softmaxCrossEntropy(logits, labels, dLogits, rows, cols, scale) {
      if (inside(logits) && inside(dLogits)) {
        const labelsAt = inside(labels) ? labels.byteOffset : copyLabels(labels, rows);
        if (labelsAt >= 0) return k.softmaxCrossEntropy(logits.byteOffset, labelsAt, dLogits ? dLogits.byteOffset : 0, rows, cols, scale);
      }
      const args = [
        { view: logits, length: rows * cols, output: false },
        { view: labels, length: rows, output: false },
        { view: dLogits, length: rows * cols, output: true },
      ];
      const loss = staging.run(args, ([pl, plab, pd]) => k.softmaxCrossEntropy(pl, plab, pd, rows, cols, scale));
      return loss ?? reference.softmaxCrossEntropy(logits, labels, dLogits, rows, cols, scale);
    },
    adamUpdate(param, grad, m, v, n, lr, beta1, beta2, eps, weightDecay, decoupled, step) {
      // Scalars folded once here, exactly as the reference computes them.
      const stepSize = lr / (1 - beta1 ** step);
      const invSqrtCorrection2 = 1 / Math.sqrt(1 - beta2 ** step);
      const decay = decoupled ? 1 - lr * weightDecay : 1;
      const l2 = decoupled ? 0 : weightDecay;
      if (inside(param) && inside(grad) && inside(m) && inside(v)) {
        adam(param.byteOffset, grad.byteOffset, m.byteOffset, v.byteOffset, n, stepSize, beta1, beta2, invSqrtCorrection2, eps, decay, l2);
        return;
      }
      const args = [
        { view: param, length: n, output: true },
        { view: grad, length: n, output: false },
        { view: m, length: n, output: true },
        { view: v, length: n, output: true },
      ];
      const done = staging.run(args, ([pp, pg, pm, pv]) => {
        adam(pp, pg, pm, pv, n, stepSize, beta1, beta2, invSqrtCorrection2, eps, decay, l2);
        return true;
      });
      if (!done) {
        reference.adamUpdate(param, grad, m, v, n, lr, beta1, beta2, eps, weightDecay, decoupled, step);
      }
    },
    rmspropUpdate(param, grad, square, n, lr, rho, eps, weightDecay) {
      if (inside(param) && inside(grad) && inside(square)) {
        return k.rmspropUpdate(param.byteOffset, grad.byteOffset, square.byteOffset, n, lr, rho, 1 - rho, eps, weightDecay);
      }
      const args = [
        { view: param, length: n, output: true },
        { view: grad, length: n, output: false },
        { view: square, length: n, output: true },
      ];
      const done = staging.run(args, ([pp, pg, ps]) => {
          k.rmspropUpdate(pp, pg, ps, n, lr, rho, 1 - rho, eps, weightDecay);
          return true;
        });
      if (!done) reference.rmspropUpdate(param, grad, square, n, lr, rho, eps, weightDecay);
    },
    bytesToUnit(bytes, x, n) {
      if (arena.contains(bytes) && inside(x)) return k.bytesToUnit(bytes.byteOffset, x.byteOffset, n);
      reference.bytesToUnit(bytes, x, n);
    },
  };
  return backend;
}

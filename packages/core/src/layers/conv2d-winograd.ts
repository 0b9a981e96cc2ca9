import type { Backend, WindowGeometry } from '../backend/backend.js';
import { winogradPointsOf, winogradTiles } from '../backend/js/winograd.js';
import { ensureBuffer, releaseBuffers } from './layer.js';

/**
 * Floats of the output-side Winograd buffer (M, then dM) one chunk of images may fill: 4 MiB, so
 * a chunk's V and M stay in the caches from the transform to the GEMMs and back. Measured on
 * cnn-32-64 at batch 64 (whole training steps against im2col, interleaved, load 1.5): one chunk of
 * 64 images 1.46× one thread / 1.44× two; chunks of 16 (4 MiB) 1.59× / 1.49× with V recomputed
 * for the backward; chunks of 8 1.68× / 1.13× (two threads lose on the smaller GEMMs). Keeping
 * every chunk's V for the backward instead of recomputing it was 2–3 % slower at 1 and 2 threads
 * (V written to four blocks leaves the caches; one reused block stays). Not scaled by the thread
 * count: the chunks set the order dW sums in, and 1 and 2 threads must give the same bits.
 */
export const WINOGRAD_CHUNK_FLOATS = 1 << 20;

/**
 * A 3×3 or 5×5 stride-1 convolution by Winograd F(2×2, r×r) (the maths: backend/js/winograd.ts),
 * the layer-side composition of Conv2d's Winograd path; P = (r + 1)² points (16 or 36). Forward:
 * U = G g Gᵀ once per call (the weights change every step), then per chunk of images V = Bᵀ d B,
 * P GEMMs M[ξ] = U[ξ]·V[ξ] in one backend.gemmBatch (threads split it by points), y = Aᵀ M A +
 * bias (ReLU fused when asked). Backward, per chunk: dM = A dY Aᵀ (masked by the fused ReLU, bias
 * gradient in the same pass); dU[ξ] (+)= dM[ξ]·V[ξ]ᵀ with the forward's V; dV[ξ] = U[ξ]ᵀ·dM[ξ]
 * (into that chunk's V, no longer needed), dx = Σ B dV Bᵀ; at the end dW = Gᵀ dU G. V has one
 * chunk's block: a batch of one chunk keeps it for the backward, a larger batch has it recomputed
 * chunk by chunk there (cheaper than keeping it: WINOGRAD_CHUNK_FLOATS).
 */
export class WinogradConv {
  private readonly tiles: number;
  /** Kernel size r and Winograd-domain points P = (r + 1)². */
  private readonly kernel: number;
  private readonly points: number;
  /** Most images per chunk. */
  private readonly maxChunk: number;
  private u: Float32Array | null = null;
  private du: Float32Array | null = null;
  private v: Float32Array | null = null;
  private m: Float32Array | null = null;
  /** Whether `v` holds the last forward's V, every chunk of it. */
  private vValid = false;
  /** Images per chunk by batch size (chunkOf). */
  private readonly chunkCounts = new Map<number, number>();
  /** Chunk size of the last reserve, and the block views of V and M per tile count (made once per chunk size, not per batch). */
  private chunk = 0;
  private views = new Map<number, Float32Array>();
  private rowViews = new WeakMap<Float32Array, Map<number, Float32Array>>();

  constructor(
    private readonly backend: Backend,
    private readonly inChannels: number,
    private readonly outChannels: number,
    private readonly geometry: WindowGeometry,
    private readonly inputSize: number,
    private readonly outputSize: number,
    chunkFloats = WINOGRAD_CHUNK_FLOATS,
  ) {
    this.tiles = winogradTiles(geometry);
    this.kernel = geometry.kernelH;
    this.points = winogradPointsOf(this.kernel);
    this.maxChunk = Math.max(1, Math.floor(chunkFloats / (this.points * outChannels * this.tiles)));
  }

  /**
   * Images per chunk for a batch of `rows`: as even as the chunk limit allows, and with planes
   * that spread over the cache's sets (planesSpread); up to four more chunks are tried for that.
   */
  private chunkOf(rows: number): number {
    let count = this.chunkCounts.get(rows);
    if (count !== undefined) return count;
    const fewest = Math.ceil(rows / this.maxChunk);
    count = Math.ceil(rows / fewest);
    for (let chunks = fewest; chunks <= Math.min(rows, fewest + 4); chunks++) {
      const even = Math.ceil(rows / chunks);
      const last = rows - (Math.ceil(rows / even) - 1) * even;
      if ([even, last].every((images) => this.planesSpread(images))) {
        count = even;
        break;
      }
    }
    if (this.chunkCounts.size > 64) this.chunkCounts.clear();
    this.chunkCounts.set(rows, count);
    return count;
  }

  /** Whether the P planes of V and of M for a chunk of `images` spread over the cache's sets (planesSpread). */
  private planesSpread(images: number): boolean {
    const n = images * this.tiles;
    return planesSpread(this.points, 4 * this.inChannels * n) && planesSpread(this.points, 4 * this.outChannels * n);
  }

  reserve(rows: number): void {
    const chunk = this.chunkOf(rows);
    const { points } = this;
    const filters = this.inChannels * this.outChannels;
    if (!this.u) {
      this.u = this.backend.allocate(points * filters);
      this.du = this.backend.allocate(points * filters);
    }
    const vLength = points * this.inChannels * chunk * this.tiles;
    const mLength = points * this.outChannels * chunk * this.tiles;
    // Block views are kept per tile count (a short last batch adds its own); only new buffers void them.
    if (!this.v || this.v.length < vLength || !this.m || this.m.length < mLength) this.views.clear();
    this.chunk = chunk;
    this.v = ensureBuffer(this.backend, this.v, vLength);
    this.m = ensureBuffer(this.backend, this.m, mLength);
  }

  /** y = conv(x) + bias (ReLU'd when `relu`) for `rows` images. */
  forward(x: Float32Array, weight: Float32Array, bias: Float32Array | null, y: Float32Array, rows: number, relu: boolean): void {
    this.reserve(rows);
    const { backend, inChannels, outChannels, chunk, points } = this;
    backend.winogradWeights(weight, this.u!, outChannels, inChannels, this.kernel);
    for (let start = 0; start < rows; start += chunk) {
      const count = Math.min(chunk, rows - start);
      const g = this.geometryOf(count);
      const n = count * this.tiles;
      const v = this.block(1, n, this.v!, inChannels);
      const m = this.block(0, n, this.m!, outChannels);
      backend.winogradInput(this.rowsOf(x, start, count, this.inputSize), v, g);
      backend.gemmBatch(false, false, outChannels, n, inChannels, points, this.u!, v, m, false);
      backend.winogradOutput(m, bias, this.rowsOf(y, start, count, this.outputSize), relu, outChannels, g);
    }
    this.vValid = rows <= chunk;
  }

  /**
   * Weight and bias gradients ((+)= unless `overwrite`) and, when `dx` is given, the input
   * gradient, for the `rows` images of the last forward (input `x`; `reluOutput` when its ReLU was fused).
   */
  backward(
    x: Float32Array,
    dy: Float32Array,
    reluOutput: Float32Array | null,
    dWeight: Float32Array,
    dBias: Float32Array | null,
    dx: Float32Array | null,
    rows: number,
    overwrite: boolean,
  ): void {
    const { backend, inChannels, outChannels, chunk, points } = this;
    for (let start = 0; start < rows; start += chunk) {
      const count = Math.min(chunk, rows - start);
      const g = this.geometryOf(count);
      const n = count * this.tiles;
      const v = this.block(1, n, this.v!, inChannels);
      const m = this.block(0, n, this.m!, outChannels);
      if (!this.vValid) backend.winogradInput(this.rowsOf(x, start, count, this.inputSize), v, g);
      const relu = reluOutput ? this.rowsOf(reluOutput, start, count, this.outputSize) : null;
      backend.winogradOutputGradient(this.rowsOf(dy, start, count, this.outputSize), relu, m, dBias, outChannels, g, !overwrite || start > 0);
      // dU sums over chunks here; dW takes it (+)= once at the end.
      backend.gemmBatch(false, true, outChannels, inChannels, n, points, m, v, this.du!, start > 0);
      if (dx) {
        backend.gemmBatch(true, false, inChannels, n, outChannels, points, this.u!, m, v, false);
        backend.winogradInputGradient(v, this.rowsOf(dx, start, count, this.inputSize), g);
      }
    }
    this.vValid = false;
    backend.winogradWeightGradient(this.du!, dWeight, outChannels, inChannels, this.kernel, !overwrite);
  }

  dispose(): void {
    releaseBuffers(this.backend, this.u, this.du, this.v, this.m);
    this.u = this.du = this.v = this.m = null;
    this.views.clear();
  }

  /**
   * Rows [start, start + count) of a flat batch buffer: the buffer itself from row 0, else a view
   * made once and kept per buffer, start and count (a full batch and a short one chunk differently,
   * and neither makes a view once both have been seen).
   */
  private rowsOf(buffer: Float32Array, start: number, count: number, size: number): Float32Array {
    if (start === 0) return buffer;
    let views = this.rowViews.get(buffer);
    if (!views) {
      views = new Map();
      this.rowViews.set(buffer, views);
    }
    const key = start * 0x100000 + count;
    let view = views.get(key);
    if (!view) {
      if (views.size >= 64) views.clear();
      view = buffer.subarray(start * size, (start + count) * size);
      views.set(key, view);
    }
    return view;
  }

  private geometryOf(count: number): WindowGeometry {
    this.geometry.batch = count;
    return this.geometry;
  }

  /** The whole [P][channels][n] block of V (slot 1) or M (slot 0) for n tiles, a view made once per tile count. */
  private block(slot: number, n: number, buffer: Float32Array, channels: number): Float32Array {
    const key = slot * 0x1000000 + n;
    let view = this.views.get(key);
    if (!view) {
      if (this.views.size >= 16) this.views.clear();
      view = buffer.subarray(0, this.points * channels * n);
      this.views.set(key, view);
    }
    return view;
  }
}

/**
 * Whether `points` planes `bytes` apart (the tile transforms read or write one vector in each, tile
 * group after tile group) put at most 4 on one set of a 32 KiB, 8-way L1 cache (4 KiB a way,
 * 64-byte lines). A stride of a multiple of 4 KiB puts all of them on one set and each pass misses
 * throughout: LeNet-5's second layer at batch 64 in one chunk (16 channels × 1,600 tiles × 4 bytes
 * = 25 × 4 KiB) spent 2.7 ms a step in the output gradient's transform, 0.15 ms in chunks of 22.
 */
export function planesSpread(points: number, bytes: number): boolean {
  const perSet = new Map<number, number>();
  for (let k = 0; k < points; k++) {
    const set = Math.floor(((k * bytes) % 4096) / 64);
    const count = (perSet.get(set) ?? 0) + 1;
    if (count > 4) return false;
    perSet.set(set, count);
  }
  return true;
}

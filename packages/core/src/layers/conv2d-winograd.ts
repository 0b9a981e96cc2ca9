import type { Backend, WindowGeometry } from '../backend/backend.js';
import { winogradTiles } from '../backend/js/winograd.js';
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
 * A 3×3 stride-1 convolution by Winograd F(2×2, 3×3) (the maths: backend/js/winograd.ts), the
 * layer-side composition of Conv2d's Winograd path. Forward: U = G g Gᵀ once per call (the weights
 * change every step), then per chunk of images V = Bᵀ d B, 16 GEMMs M[ξ] = U[ξ]·V[ξ] through the
 * threaded backend.gemm, y = Aᵀ M A + bias (ReLU fused when asked). Backward, per chunk: dM = A dY Aᵀ
 * (masked by the fused ReLU, bias gradient in the same pass); dU[ξ] (+)= dM[ξ]·V[ξ]ᵀ with the
 * forward's V; dV[ξ] = U[ξ]ᵀ·dM[ξ] (into that chunk's V, no longer needed), dx = Σ B dV Bᵀ; at the
 * end dW = Gᵀ dU G. V has one chunk's block: a batch of one chunk keeps it for the backward, a
 * larger batch has it recomputed chunk by chunk there (cheaper than keeping it: WINOGRAD_CHUNK_FLOATS).
 */
export class WinogradConv {
  private readonly tiles: number;
  /** Most images per chunk. */
  private readonly maxChunk: number;
  private u: Float32Array | null = null;
  private du: Float32Array | null = null;
  private v: Float32Array | null = null;
  private m: Float32Array | null = null;
  /** Whether `v` holds the last forward's V, every chunk of it. */
  private vValid = false;
  /** Chunk size of the last reserve, and the views of V and M per tile count (made once per chunk size, not per batch). */
  private chunk = 0;
  private views = new Map<number, Float32Array[]>();
  private uViews: Float32Array[] = [];
  private rowViews = new WeakMap<Float32Array, Float32Array[]>();
  private duViews: Float32Array[] = [];

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
    this.maxChunk = Math.max(1, Math.floor(chunkFloats / (16 * outChannels * this.tiles)));
  }

  /** Images per chunk for a batch of `rows`: as even as the chunk limit allows. */
  private chunkOf(rows: number): number {
    return Math.ceil(rows / Math.ceil(rows / this.maxChunk));
  }

  reserve(rows: number): void {
    const chunk = this.chunkOf(rows);
    const filters = this.inChannels * this.outChannels;
    if (!this.u) {
      this.u = this.backend.allocate(16 * filters);
      this.du = this.backend.allocate(16 * filters);
      this.uViews = planes(this.u, 0, filters);
      this.duViews = planes(this.du!, 0, filters);
    }
    const vLength = 16 * this.inChannels * chunk * this.tiles;
    const mLength = 16 * this.outChannels * chunk * this.tiles;
    // Views are kept per tile count (a short last batch adds its own); only new buffers void them.
    if (!this.v || this.v.length < vLength || !this.m || this.m.length < mLength) this.views.clear();
    this.chunk = chunk;
    this.v = ensureBuffer(this.backend, this.v, vLength);
    this.m = ensureBuffer(this.backend, this.m, mLength);
  }

  /** y = conv(x) + bias (ReLU'd when `relu`) for `rows` images. */
  forward(x: Float32Array, weight: Float32Array, bias: Float32Array | null, y: Float32Array, rows: number, relu: boolean): void {
    this.reserve(rows);
    const { backend, inChannels, outChannels, chunk } = this;
    backend.winogradWeights(weight, this.u!, outChannels, inChannels);
    for (let start = 0, j = 0; start < rows; start += chunk, j++) {
      const count = Math.min(chunk, rows - start);
      const g = this.geometryOf(count);
      const n = count * this.tiles;
      const v = this.vViews(n);
      const m = this.mViews(n);
      backend.winogradInput(this.rowsOf(x, j, start, count, this.inputSize), v[16], g);
      for (let xi = 0; xi < 16; xi++) backend.gemm(false, false, outChannels, n, inChannels, this.uViews[xi], v[xi], m[xi], false);
      backend.winogradOutput(m[16], bias, this.rowsOf(y, j, start, count, this.outputSize), relu, outChannels, g);
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
    const { backend, inChannels, outChannels, chunk } = this;
    for (let start = 0, j = 0; start < rows; start += chunk, j++) {
      const count = Math.min(chunk, rows - start);
      const g = this.geometryOf(count);
      const n = count * this.tiles;
      const v = this.vViews(n);
      const m = this.mViews(n);
      if (!this.vValid) backend.winogradInput(this.rowsOf(x, j, start, count, this.inputSize), v[16], g);
      const relu = reluOutput ? this.rowsOf(reluOutput, j, start, count, this.outputSize) : null;
      backend.winogradOutputGradient(this.rowsOf(dy, j, start, count, this.outputSize), relu, m[16], dBias, outChannels, g, !overwrite || start > 0);
      // dU sums over chunks here; dW takes it (+)= once at the end.
      for (let xi = 0; xi < 16; xi++) backend.gemm(false, true, outChannels, inChannels, n, m[xi], v[xi], this.duViews[xi], start > 0);
      if (dx) {
        for (let xi = 0; xi < 16; xi++) backend.gemm(true, false, inChannels, n, outChannels, this.uViews[xi], m[xi], v[xi], false);
        backend.winogradInputGradient(v[16], this.rowsOf(dx, j, start, count, this.inputSize), g);
      }
    }
    this.vValid = false;
    backend.winogradWeightGradient(this.du!, dWeight, outChannels, inChannels, !overwrite);
  }

  dispose(): void {
    releaseBuffers(this.backend, this.u, this.du, this.v, this.m);
    this.u = this.du = this.v = this.m = null;
    this.views.clear();
  }

  /**
   * Rows [start, start + count) of a flat batch buffer, chunk j: the buffer itself from row 0, else
   * a view made once and kept per buffer and chunk (a training step makes none).
   */
  private rowsOf(buffer: Float32Array, j: number, start: number, count: number, size: number): Float32Array {
    if (start === 0) return buffer;
    let list = this.rowViews.get(buffer);
    if (!list) {
      list = [];
      this.rowViews.set(buffer, list);
    }
    const view = list[j];
    if (view && view.buffer === buffer.buffer && view.byteOffset === buffer.byteOffset + start * size * buffer.BYTES_PER_ELEMENT && view.length === count * size) return view;
    list[j] = buffer.subarray(start * size, (start + count) * size);
    return list[j];
  }

  private geometryOf(count: number): WindowGeometry {
    this.geometry.batch = count;
    return this.geometry;
  }

  /** V ([16][inChannels][n]): its 16 planes, then the whole block. */
  private vViews(n: number): Float32Array[] {
    return this.viewsOf(1, n, this.v!, 0, this.inChannels * n);
  }

  /** M ([16][outChannels][n]): its 16 planes, then the whole block. */
  private mViews(n: number): Float32Array[] {
    return this.viewsOf(0, n, this.m!, 0, this.outChannels * n);
  }

  private viewsOf(slot: number, n: number, buffer: Float32Array, offset: number, size: number): Float32Array[] {
    const key = slot * 0x1000000 + n;
    let views = this.views.get(key);
    if (!views) {
      if (this.views.size >= 16) this.views.clear();
      views = planes(buffer, offset, size);
      this.views.set(key, views);
    }
    return views;
  }
}

/** The 16 consecutive planes of `size` floats of a Winograd-domain block at `offset`, then the whole block. */
function planes(buffer: Float32Array, offset: number, size: number): Float32Array[] {
  const views = Array.from({ length: 16 }, (_, xi) => buffer.subarray(offset + xi * size, offset + (xi + 1) * size));
  views.push(buffer.subarray(offset, offset + 16 * size));
  return views;
}

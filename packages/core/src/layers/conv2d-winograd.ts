import type { Backend, WindowGeometry } from '../backend/backend.js';
import { winogradTiles } from '../backend/js/winograd.js';
import { ensureBuffer, releaseBuffers } from './layer.js';

/**
 * A 3×3 stride-1 convolution by Winograd F(2×2, 3×3) (the maths: backend/js/winograd.ts), the
 * layer-side composition of Conv2d's Winograd path. Forward: U = G g Gᵀ once per call (the weights
 * change every step), V = Bᵀ d B, 16 GEMMs M[ξ] = U[ξ]·V[ξ] through the threaded backend.gemm,
 * y = Aᵀ M A + bias (ReLU fused when asked). Backward: dM = A dY Aᵀ (masked by the fused ReLU, bias
 * gradient in the same pass); dU[ξ] = dM[ξ]·V[ξ]ᵀ reusing the forward's V, dW = Gᵀ dU G; and
 * dV[ξ] = U[ξ]ᵀ·dM[ξ] (into V's buffer, no longer needed), dx = Σ B dV Bᵀ. A batch is convolved
 * in chunks of images so the Winograd buffers stay under `blockFloats`, as the im2col path bounds
 * its column block; V of a one-chunk forward is kept for the backward.
 */
export class WinogradConv {
  /** Images per chunk. */
  readonly chunkImages: number;
  private readonly tiles: number;
  private u: Float32Array | null = null;
  private du: Float32Array | null = null;
  private v: Float32Array | null = null;
  private m: Float32Array | null = null;
  private vValid = false;
  /** Per tile count: the 16 views of V, M and of U, dU (allocated once per count, not per batch). */
  private views = new Map<number, { v: Float32Array[]; m: Float32Array[] }>();
  private uViews: Float32Array[] = [];
  private duViews: Float32Array[] = [];

  constructor(
    private readonly backend: Backend,
    private readonly inChannels: number,
    private readonly outChannels: number,
    private readonly geometry: WindowGeometry,
    private readonly inputSize: number,
    private readonly outputSize: number,
    blockFloats: number,
  ) {
    this.tiles = winogradTiles(geometry);
    this.chunkImages = Math.max(1, Math.floor(blockFloats / (16 * Math.max(inChannels, outChannels) * this.tiles)));
  }

  reserve(rows: number): void {
    const chunk = Math.min(rows, this.chunkImages);
    const filters = this.inChannels * this.outChannels;
    if (!this.u) {
      this.u = this.backend.allocate(16 * filters);
      this.du = this.backend.allocate(16 * filters);
      this.uViews = planes(this.u, filters);
      this.duViews = planes(this.du!, filters);
    }
    const vLength = 16 * this.inChannels * chunk * this.tiles;
    const mLength = 16 * this.outChannels * chunk * this.tiles;
    if (!this.v || this.v.length < vLength || !this.m || this.m.length < mLength) this.views.clear();
    this.v = ensureBuffer(this.backend, this.v, vLength);
    this.m = ensureBuffer(this.backend, this.m, mLength);
  }

  /** y = conv(x) + bias (ReLU'd when `relu`) for `rows` images. */
  forward(x: Float32Array, weight: Float32Array, bias: Float32Array | null, y: Float32Array, rows: number, relu: boolean): void {
    this.reserve(rows);
    const { backend, inChannels, outChannels } = this;
    backend.winogradWeights(weight, this.u!, outChannels, inChannels);
    for (let start = 0; start < rows; start += this.chunkImages) {
      const count = Math.min(this.chunkImages, rows - start);
      const g = this.geometryOf(count);
      const n = count * this.tiles;
      const { v, m } = this.viewsOf(n);
      backend.winogradInput(rowsOf(x, start, count, this.inputSize), this.v!, g);
      for (let xi = 0; xi < 16; xi++) backend.gemm(false, false, outChannels, n, inChannels, this.uViews[xi], v[xi], m[xi], false);
      backend.winogradOutput(this.m!, bias, rowsOf(y, start, count, this.outputSize), relu, outChannels, g);
    }
    this.vValid = rows <= this.chunkImages;
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
    const { backend, inChannels, outChannels } = this;
    for (let start = 0; start < rows; start += this.chunkImages) {
      const count = Math.min(this.chunkImages, rows - start);
      const g = this.geometryOf(count);
      const n = count * this.tiles;
      const { v, m } = this.viewsOf(n);
      if (!this.vValid) backend.winogradInput(rowsOf(x, start, count, this.inputSize), this.v!, g);
      const relu = reluOutput ? rowsOf(reluOutput, start, count, this.outputSize) : null;
      backend.winogradOutputGradient(rowsOf(dy, start, count, this.outputSize), relu, this.m!, dBias, outChannels, g, !overwrite || start > 0);
      // dU sums over chunks here; dW takes it (+)= once at the end.
      for (let xi = 0; xi < 16; xi++) backend.gemm(false, true, outChannels, inChannels, n, m[xi], v[xi], this.duViews[xi], start > 0);
      if (dx) {
        for (let xi = 0; xi < 16; xi++) backend.gemm(true, false, inChannels, n, outChannels, this.uViews[xi], m[xi], v[xi], false);
        backend.winogradInputGradient(this.v!, rowsOf(dx, start, count, this.inputSize), g);
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

  private geometryOf(count: number): WindowGeometry {
    this.geometry.batch = count;
    return this.geometry;
  }

  private viewsOf(n: number): { v: Float32Array[]; m: Float32Array[] } {
    let views = this.views.get(n);
    if (!views) {
      if (this.views.size >= 8) this.views.clear();
      views = { v: planes(this.v!, this.inChannels * n), m: planes(this.m!, this.outChannels * n) };
      this.views.set(n, views);
    }
    return views;
  }
}

/** The 16 consecutive planes of `size` floats of a Winograd-domain buffer. */
function planes(buffer: Float32Array, size: number): Float32Array[] {
  return Array.from({ length: 16 }, (_, xi) => buffer.subarray(xi * size, (xi + 1) * size));
}

/** Rows [start, start + count) of a flat batch buffer (the buffer itself from row 0: no view is made). */
function rowsOf(buffer: Float32Array, start: number, count: number, size: number): Float32Array {
  return start === 0 ? buffer : buffer.subarray(start * size, (start + count) * size);
}

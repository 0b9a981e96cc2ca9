import type { WindowGeometry } from '../backend.js';

/**
 * Winograd F(2×2, r×r) convolution for r = 3 and r = 5 (Lavin & Gray, "Fast Algorithms for
 * Convolutional Neural Networks", 2015), the reference. An r×r stride-1 convolution is cut into
 * 2×2 output tiles; the α×α input tile d under each (α = r + 1, stride 2, zeros outside the image)
 * and each r×r filter g move into an α²-point domain where the convolution is an elementwise
 * product, summed over input channels — α² GEMMs, one per point ξ:
 *   V[ξ][c][t] = (Bᵀ d B)[ξ],  U[ξ][o][c] = (G g Gᵀ)[ξ],  M[ξ] = U[ξ]·V[ξ],  y tile = Aᵀ M A.
 * F(2×2, 3×3): 16 multiplies per 4 outputs instead of 36; F(2×2, 5×5): 36 instead of 100. The
 * backward passes are the exact adjoints:
 *   dM = A dY Aᵀ;  dV[ξ] = U[ξ]ᵀ·dM[ξ], dx += B dV Bᵀ at each tile (tiles overlap by α − 2);
 *   dU[ξ] = dM[ξ]·V[ξ]ᵀ, dg = Gᵀ dU G.
 * Buffers in the Winograd domain are [α²][channels][batch·tiles], tile t = image·tiles + ty·tilesW + tx,
 * with tilesH × tilesW = ⌈outH/2⌉ × ⌈outW/2⌉; edge tiles of an odd output write only the outputs
 * that exist. Plain loops over indexable arrays (float64 buffers run the same code).
 */

interface Transform {
  /** α = r + 1. */
  readonly alpha: number;
  /** Bᵀ (α×α), G (α×r) and Aᵀ (2×α), row-major, then their transposes. */
  readonly BT: number[];
  readonly B: number[];
  readonly G: number[];
  readonly GT: number[];
  readonly AT: number[];
  readonly A: number[];
}

function transform(r: number, BT: number[], G: number[], AT: number[]): Transform {
  const alpha = r + 1;
  return { alpha, BT, B: transpose(BT, alpha, alpha), G, GT: transpose(G, alpha, r), AT, A: transpose(AT, 2, alpha) };
}

function transpose(m: number[], rows: number, cols: number): number[] {
  const t: number[] = [];
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) t.push(m[i * cols + j]);
  return t;
}

/** Points 0, 1, −1, ∞. */
const F2x3 = transform(3, [1, 0, -1, 0, 0, 1, 1, 0, 0, -1, 1, 0, 0, 1, 0, -1], [1, 0, 0, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0, 0, 1], [1, 1, 1, 0, 0, 1, -1, -1]);

/** Points 0, 1, −1, 2, −2, ∞ (Bᵀ is F(4×4, 3×3)'s: it depends on the points only). */
const F2x5 = transform(
  5,
  [4, 0, -5, 0, 1, 0, 0, -4, -4, 1, 1, 0, 0, 4, -4, -1, 1, 0, 0, -2, -1, 2, 1, 0, 0, 2, -1, -2, 1, 0, 0, 4, 0, -5, 0, 1],
  [
    1 / 4, 0, 0, 0, 0,
    -1 / 6, -1 / 6, -1 / 6, -1 / 6, -1 / 6,
    -1 / 6, 1 / 6, -1 / 6, 1 / 6, -1 / 6,
    1 / 24, 1 / 12, 1 / 6, 1 / 3, 2 / 3,
    1 / 24, -1 / 12, 1 / 6, -1 / 3, 2 / 3,
    0, 0, 0, 0, 1,
  ],
  [1, 1, 1, 1, 1, 0, 0, 1, -1, 2, -2, 1],
);

/** The kernel sizes Winograd F(2×2, r×r) is written for. */
export const WINOGRAD_KERNELS: readonly number[] = [3, 5];

function transformOf(kernel: number): Transform {
  if (kernel === 3) return F2x3;
  if (kernel === 5) return F2x5;
  throw new RangeError(`Winograd F(2×2, r×r) is written for r = 3 and 5, not ${kernel}`);
}

/** Points of the Winograd domain of an r×r kernel: (r + 1)². */
export const winogradPointsOf = (kernel: number): number => (kernel + 1) * (kernel + 1);

/** Points of the Winograd domain of a geometry's kernel. */
export const winogradPoints = (g: WindowGeometry): number => winogradPointsOf(g.kernelH);

const middle = new Float64Array(36);
/** out (r×r) = L d Lᵀ for L (r×n) and d (n×n), row-major. */
function sandwich(L: number[], r: number, n: number, d: ArrayLike<number>, out: Float64Array): void {
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += L[i * n + k] * d[k * n + j];
      middle[i * n + j] = s;
    }
  }
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += middle[i * n + k] * L[j * n + k];
      out[i * r + j] = s;
    }
  }
}

/** Tiles per image: ⌈outH/2⌉ rows of ⌈outW/2⌉. */
export const winogradTiles = (g: WindowGeometry): number => ((g.outH + 1) >> 1) * ((g.outW + 1) >> 1);

/** The tile grid of a geometry: tile rows and columns per image, tiles per image, tiles in the batch. */
function tileGrid(g: WindowGeometry): { tilesH: number; tilesW: number; tiles: number; total: number } {
  const tilesH = (g.outH + 1) >> 1;
  const tilesW = (g.outW + 1) >> 1;
  return { tilesH, tilesW, tiles: tilesH * tilesW, total: g.batch * tilesH * tilesW };
}

const tile = new Float64Array(36);
const point = new Float64Array(36);

/** V[ξ][c][t] = (Bᵀ d B)[ξ] for every input tile d of every channel c (zeros outside the image). */
export function winogradInput(x: Float32Array, v: Float32Array, g: WindowGeometry): void {
  const { batch, channels, height, width, padH, padW } = g;
  const { alpha, BT } = transformOf(g.kernelH);
  const points = alpha * alpha;
  const { tilesH, tilesW, tiles, total } = tileGrid(g);
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      const plane = (b * channels + c) * height * width;
      for (let ty = 0; ty < tilesH; ty++) {
        for (let tx = 0; tx < tilesW; tx++) {
          for (let r = 0; r < alpha; r++) {
            const row = 2 * ty - padH + r;
            for (let k = 0; k < alpha; k++) {
              const col = 2 * tx - padW + k;
              tile[r * alpha + k] = row >= 0 && row < height && col >= 0 && col < width ? x[plane + row * width + col] : 0;
            }
          }
          sandwich(BT, alpha, alpha, tile, point);
          const t = b * tiles + ty * tilesW + tx;
          for (let xi = 0; xi < points; xi++) v[(xi * channels + c) * total + t] = point[xi];
        }
      }
    }
  }
}

/** y[b, o] = act(Aᵀ M A + bias[o]) tile by tile (act: ReLU when `relu`), only the outputs that exist. */
export function winogradOutput(m: Float32Array, bias: Float32Array | null, y: Float32Array, relu: boolean, outChannels: number, g: WindowGeometry): void {
  const { batch, outH, outW } = g;
  const { alpha, AT } = transformOf(g.kernelH);
  const points = alpha * alpha;
  const { tilesH, tilesW, tiles, total } = tileGrid(g);
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outChannels; o++) {
      const plane = (b * outChannels + o) * outH * outW;
      const add = bias ? bias[o] : 0;
      for (let ty = 0; ty < tilesH; ty++) {
        for (let tx = 0; tx < tilesW; tx++) {
          const t = b * tiles + ty * tilesW + tx;
          for (let xi = 0; xi < points; xi++) point[xi] = m[(xi * outChannels + o) * total + t];
          sandwich(AT, 2, alpha, point, tile);
          for (let i = 0; i < 2; i++) {
            for (let j = 0; j < 2; j++) {
              const oy = 2 * ty + i;
              const ox = 2 * tx + j;
              if (oy >= outH || ox >= outW) continue;
              const value = tile[i * 2 + j] + add;
              y[plane + oy * outW + ox] = relu && !(value > 0) ? 0 : value;
            }
          }
        }
      }
    }
  }
}

/**
 * dM = A gY Aᵀ for every output tile, gY = dy masked by the fused ReLU's output y (0 where y ≤ 0)
 * when y is given, 0 past the edge; dBias[o] (+)= Σ gY of channel o.
 */
export function winogradOutputGradient(
  dy: Float32Array,
  y: Float32Array | null,
  dm: Float32Array,
  dBias: Float32Array | null,
  outChannels: number,
  g: WindowGeometry,
  accumulate: boolean,
): void {
  const { batch, outH, outW } = g;
  const { alpha, A } = transformOf(g.kernelH);
  const points = alpha * alpha;
  const { tilesH, tilesW, tiles, total } = tileGrid(g);
  for (let o = 0; o < outChannels; o++) {
    let sum = 0;
    for (let b = 0; b < batch; b++) {
      const plane = (b * outChannels + o) * outH * outW;
      for (let ty = 0; ty < tilesH; ty++) {
        for (let tx = 0; tx < tilesW; tx++) {
          for (let i = 0; i < 2; i++) {
            for (let j = 0; j < 2; j++) {
              const oy = 2 * ty + i;
              const ox = 2 * tx + j;
              const at = plane + oy * outW + ox;
              const value = oy < outH && ox < outW && (y === null || y[at] > 0) ? dy[at] : 0;
              tile[i * 2 + j] = value;
              sum += value;
            }
          }
          sandwich(A, alpha, 2, tile, point);
          const t = b * tiles + ty * tilesW + tx;
          for (let xi = 0; xi < points; xi++) dm[(xi * outChannels + o) * total + t] = point[xi];
        }
      }
    }
    if (dBias) dBias[o] = (accumulate ? dBias[o] : 0) + sum;
  }
}

/** dx = Σ over tiles of B dV Bᵀ at the tile's α×α input window (overwrites dx; the padding's share is dropped). */
export function winogradInputGradient(dv: Float32Array, dx: Float32Array, g: WindowGeometry): void {
  const { batch, channels, height, width, padH, padW } = g;
  const { alpha, B } = transformOf(g.kernelH);
  const points = alpha * alpha;
  const { tilesH, tilesW, tiles, total } = tileGrid(g);
  dx.fill(0, 0, batch * channels * height * width);
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      const plane = (b * channels + c) * height * width;
      for (let ty = 0; ty < tilesH; ty++) {
        for (let tx = 0; tx < tilesW; tx++) {
          const t = b * tiles + ty * tilesW + tx;
          for (let xi = 0; xi < points; xi++) point[xi] = dv[(xi * channels + c) * total + t];
          sandwich(B, alpha, alpha, point, tile);
          for (let r = 0; r < alpha; r++) {
            const row = 2 * ty - padH + r;
            if (row < 0 || row >= height) continue;
            for (let k = 0; k < alpha; k++) {
              const col = 2 * tx - padW + k;
              if (col >= 0 && col < width) dx[plane + row * width + col] += tile[r * alpha + k];
            }
          }
        }
      }
    }
  }
}

/** U[ξ][o][c] = (G w[o, c] Gᵀ)[ξ] for a [out, in, r, r] weight. */
export function winogradWeights(w: Float32Array, u: Float32Array, outChannels: number, inChannels: number, kernel: number): void {
  const { alpha, G } = transformOf(kernel);
  const points = alpha * alpha;
  const size = kernel * kernel;
  const filters = outChannels * inChannels;
  for (let f = 0; f < filters; f++) {
    for (let i = 0; i < size; i++) tile[i] = w[f * size + i];
    sandwich(G, alpha, kernel, tile, point);
    for (let xi = 0; xi < points; xi++) u[xi * filters + f] = point[xi];
  }
}

/** dW[o, c] (+)= Gᵀ dU[·][o][c] G (α×α → r×r). */
export function winogradWeightGradient(du: Float32Array, dw: Float32Array, outChannels: number, inChannels: number, kernel: number, accumulate: boolean): void {
  const { alpha, GT } = transformOf(kernel);
  const points = alpha * alpha;
  const size = kernel * kernel;
  const filters = outChannels * inChannels;
  for (let f = 0; f < filters; f++) {
    for (let xi = 0; xi < points; xi++) point[xi] = du[xi * filters + f];
    sandwich(GT, kernel, alpha, point, tile);
    for (let i = 0; i < size; i++) dw[f * size + i] = (accumulate ? dw[f * size + i] : 0) + tile[i];
  }
}

import type { WindowGeometry } from '../backend.js';

/**
 * Winograd F(2×2, 3×3) convolution (Lavin & Gray, "Fast Algorithms for Convolutional Neural
 * Networks", 2015), the reference. A 3×3 stride-1 convolution is cut into 2×2 output tiles; the
 * 4×4 input tile d under each (stride 2, zeros outside the image) and each 3×3 filter g move into
 * a 16-point domain where the convolution is an elementwise product, summed over input channels —
 * 16 GEMMs, one per point ξ:
 *   V[ξ][c][t] = (Bᵀ d B)[ξ],  U[ξ][o][c] = (G g Gᵀ)[ξ],  M[ξ] = U[ξ]·V[ξ],  y tile = Aᵀ M A.
 * 16 multiplies per 4 outputs instead of 36. The backward passes are the exact adjoints:
 *   dM = A dY Aᵀ;  dV[ξ] = U[ξ]ᵀ·dM[ξ], dx += B dV Bᵀ at each tile (tiles overlap by 2);
 *   dU[ξ] = dM[ξ]·V[ξ]ᵀ, dg = Gᵀ dU G.
 * Buffers in the Winograd domain are [16][channels][batch·tiles], tile t = image·tiles + ty·tilesW + tx,
 * with tilesH × tilesW = ⌈outH/2⌉ × ⌈outW/2⌉; edge tiles of an odd output write only the outputs
 * that exist. Plain loops over indexable arrays (float64 buffers run the same code).
 */

/** Bᵀ (4×4), G (4×3) and Aᵀ (2×4), row-major; their transposes act on the other side. */
const BT = [1, 0, -1, 0, 0, 1, 1, 0, 0, -1, 1, 0, 0, 1, 0, -1];
const B = transpose(BT, 4, 4);
const G = [1, 0, 0, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0, 0, 1];
const GT = transpose(G, 4, 3);
const AT = [1, 1, 1, 0, 0, 1, -1, -1];
const A = transpose(AT, 2, 4);

function transpose(m: number[], rows: number, cols: number): number[] {
  const t: number[] = [];
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) t.push(m[i * cols + j]);
  return t;
}

const middle = new Float64Array(16);
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

const tile = new Float64Array(16);
const point = new Float64Array(16);

/** V[ξ][c][t] = (Bᵀ d B)[ξ] for every input tile d of every channel c (zeros outside the image). */
export function winogradInput(x: Float32Array, v: Float32Array, g: WindowGeometry): void {
  const { batch, channels, height, width, padH, padW, outH, outW } = g;
  const tilesH = (outH + 1) >> 1;
  const tilesW = (outW + 1) >> 1;
  const tiles = tilesH * tilesW;
  const total = batch * tiles;
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      const plane = (b * channels + c) * height * width;
      for (let ty = 0; ty < tilesH; ty++) {
        for (let tx = 0; tx < tilesW; tx++) {
          for (let r = 0; r < 4; r++) {
            const row = 2 * ty - padH + r;
            for (let k = 0; k < 4; k++) {
              const col = 2 * tx - padW + k;
              tile[r * 4 + k] = row >= 0 && row < height && col >= 0 && col < width ? x[plane + row * width + col] : 0;
            }
          }
          sandwich(BT, 4, 4, tile, point);
          const t = b * tiles + ty * tilesW + tx;
          for (let xi = 0; xi < 16; xi++) v[(xi * channels + c) * total + t] = point[xi];
        }
      }
    }
  }
}

/** y[b, o] = act(Aᵀ M A + bias[o]) tile by tile (act: ReLU when `relu`), only the outputs that exist. */
export function winogradOutput(m: Float32Array, bias: Float32Array | null, y: Float32Array, relu: boolean, outChannels: number, g: WindowGeometry): void {
  const { batch, outH, outW } = g;
  const tilesH = (outH + 1) >> 1;
  const tilesW = (outW + 1) >> 1;
  const tiles = tilesH * tilesW;
  const total = batch * tiles;
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outChannels; o++) {
      const plane = (b * outChannels + o) * outH * outW;
      const add = bias ? bias[o] : 0;
      for (let ty = 0; ty < tilesH; ty++) {
        for (let tx = 0; tx < tilesW; tx++) {
          const t = b * tiles + ty * tilesW + tx;
          for (let xi = 0; xi < 16; xi++) point[xi] = m[(xi * outChannels + o) * total + t];
          sandwich(AT, 2, 4, point, tile);
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
  const tilesH = (outH + 1) >> 1;
  const tilesW = (outW + 1) >> 1;
  const tiles = tilesH * tilesW;
  const total = batch * tiles;
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
          sandwich(A, 4, 2, tile, point);
          const t = b * tiles + ty * tilesW + tx;
          for (let xi = 0; xi < 16; xi++) dm[(xi * outChannels + o) * total + t] = point[xi];
        }
      }
    }
    if (dBias) dBias[o] = (accumulate ? dBias[o] : 0) + sum;
  }
}

/** dx = Σ over tiles of B dV Bᵀ at the tile's 4×4 input window (overwrites dx; the padding's share is dropped). */
export function winogradInputGradient(dv: Float32Array, dx: Float32Array, g: WindowGeometry): void {
  const { batch, channels, height, width, padH, padW, outH, outW } = g;
  const tilesH = (outH + 1) >> 1;
  const tilesW = (outW + 1) >> 1;
  const tiles = tilesH * tilesW;
  const total = batch * tiles;
  dx.fill(0, 0, batch * channels * height * width);
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      const plane = (b * channels + c) * height * width;
      for (let ty = 0; ty < tilesH; ty++) {
        for (let tx = 0; tx < tilesW; tx++) {
          const t = b * tiles + ty * tilesW + tx;
          for (let xi = 0; xi < 16; xi++) point[xi] = dv[(xi * channels + c) * total + t];
          sandwich(B, 4, 4, point, tile);
          for (let r = 0; r < 4; r++) {
            const row = 2 * ty - padH + r;
            if (row < 0 || row >= height) continue;
            for (let k = 0; k < 4; k++) {
              const col = 2 * tx - padW + k;
              if (col >= 0 && col < width) dx[plane + row * width + col] += tile[r * 4 + k];
            }
          }
        }
      }
    }
  }
}

/** U[ξ][o][c] = (G w[o, c] Gᵀ)[ξ] for a [out, in, 3, 3] weight. */
export function winogradWeights(w: Float32Array, u: Float32Array, outChannels: number, inChannels: number): void {
  const filters = outChannels * inChannels;
  for (let f = 0; f < filters; f++) {
    for (let i = 0; i < 9; i++) tile[i] = w[f * 9 + i];
    sandwich(G, 4, 3, tile, point);
    for (let xi = 0; xi < 16; xi++) u[xi * filters + f] = point[xi];
  }
}

/** dW[o, c] (+)= Gᵀ dU[·][o][c] G (4×4 → 3×3). */
export function winogradWeightGradient(du: Float32Array, dw: Float32Array, outChannels: number, inChannels: number, accumulate: boolean): void {
  const filters = outChannels * inChannels;
  for (let f = 0; f < filters; f++) {
    for (let xi = 0; xi < 16; xi++) point[xi] = du[xi * filters + f];
    sandwich(GT, 3, 4, point, tile);
    for (let i = 0; i < 9; i++) dw[f * 9 + i] = (accumulate ? dw[f * 9 + i] : 0) + tile[i];
  }
}

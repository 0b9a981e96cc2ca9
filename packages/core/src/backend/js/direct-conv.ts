import type { ActivationKind, WindowGeometry } from '../backend.js';
import { activate } from './activations.js';

/**
 * Direct convolution, the reference: every output sums its taps in (c, i, j) order, padding
 * counted as zeros (so a tap outside the image adds w·0, as the im2col GEMM does), then adds the
 * bias and applies the activation. Any stride and padding.
 */
export function convForward(
  kind: ActivationKind,
  x: Float32Array,
  weight: Float32Array,
  bias: Float32Array | null,
  y: Float32Array,
  outChannels: number,
  g: WindowGeometry,
  alpha: number,
): void {
  const { batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = g;
  const patch = channels * kernelH * kernelW;
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outChannels; o++) {
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++) {
          let sum = 0;
          for (let c = 0; c < channels; c++) {
            for (let i = 0; i < kernelH; i++) {
              const row = oy * strideH - padH + i;
              for (let j = 0; j < kernelW; j++) {
                const col = ox * strideW - padW + j;
                const inside = row >= 0 && row < height && col >= 0 && col < width;
                sum += weight[o * patch + (c * kernelH + i) * kernelW + j] * (inside ? x[((b * channels + c) * height + row) * width + col] : 0);
              }
            }
          }
          y[((b * outChannels + o) * outH + oy) * outW + ox] = activate(kind, bias ? sum + bias[o] : sum, alpha);
        }
      }
    }
  }
}

/**
 * The weight and bias gradients of a convolution, straight from the input and the output
 * gradient: dW[o, c, i, j] (+)= Σ_{b, oy, ox} g[b, o, oy, ox] · x[b, c, oy·sH − pH + i, ox·sW − pW + j]
 * and dBias[o] (+)= Σ g[b, o, ·], where g is dy masked by the ReLU that followed the convolution
 * (0 where its output y ≤ 0) when `y` is given, dy itself when it is null.
 */
export function convWeightGradient(
  x: Float32Array,
  dy: Float32Array,
  y: Float32Array | null,
  dWeight: Float32Array,
  dBias: Float32Array | null,
  outChannels: number,
  g: WindowGeometry,
  accumulate: boolean,
): void {
  const { batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = g;
  const positions = outH * outW;
  const gradient = (at: number) => (y && !(y[at] > 0) ? 0 : dy[at]);
  for (let o = 0; o < outChannels; o++) {
    for (let c = 0; c < channels; c++) {
      for (let i = 0; i < kernelH; i++) {
        for (let j = 0; j < kernelW; j++) {
          let sum = 0;
          for (let b = 0; b < batch; b++) {
            for (let oy = 0; oy < outH; oy++) {
              const row = oy * strideH - padH + i;
              if (row < 0 || row >= height) continue;
              for (let ox = 0; ox < outW; ox++) {
                const col = ox * strideW - padW + j;
                if (col < 0 || col >= width) continue;
                sum += gradient((b * outChannels + o) * positions + oy * outW + ox) * x[((b * channels + c) * height + row) * width + col];
              }
            }
          }
          const at = ((o * channels + c) * kernelH + i) * kernelW + j;
          dWeight[at] = accumulate ? dWeight[at] + sum : sum;
        }
      }
    }
    if (dBias) {
      let sum = 0;
      for (let b = 0; b < batch; b++) {
        for (let p = 0; p < positions; p++) sum += gradient((b * outChannels + o) * positions + p);
      }
      dBias[o] = accumulate ? dBias[o] + sum : sum;
    }
  }
}

/**
 * The input gradient from a channel-major dy (Backend.convInputGradient), the reference: each
 * input pixel sums its contributions in (o, i, j) order (in f64, as convForward), any stride and padding.
 */
export function convInputGradient(dy: Float32Array, weight: Float32Array, dx: Float32Array, outChannels: number, g: WindowGeometry): void {
  const { batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = g;
  const patch = channels * kernelH * kernelW;
  const positions = outH * outW;
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          let sum = 0;
          for (let o = 0; o < outChannels; o++) {
            const plane = (o * batch + b) * positions;
            for (let i = 0; i < kernelH; i++) {
              const oyStrided = y + padH - i;
              if (oyStrided < 0 || oyStrided % strideH !== 0 || oyStrided / strideH >= outH) continue;
              const oy = oyStrided / strideH;
              for (let j = 0; j < kernelW; j++) {
                const oxStrided = x + padW - j;
                if (oxStrided < 0 || oxStrided % strideW !== 0 || oxStrided / strideW >= outW) continue;
                sum += weight[o * patch + (c * kernelH + i) * kernelW + j] * dy[plane + oy * outW + oxStrided / strideW];
              }
            }
          }
          dx[((b * channels + c) * height + y) * width + x] = sum;
        }
      }
    }
  }
}

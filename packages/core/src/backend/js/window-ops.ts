import type { ActivationKind, WindowGeometry } from '../backend.js';
import { activate } from './activations.js';

// Reference loops for convolution (im2col / col2im) and pooling over NCHW batches: the readable
// truth the wasm kernels are compared against. Loops run in output order so every backend can
// reproduce the same summation order where it matters (col2im, pooling backward).

export function im2col(x: Float32Array, col: Float32Array, g: WindowGeometry): void {
  const { batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = g;
  const positions = outH * outW;
  const columns = batch * positions;
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < kernelH; i++) {
      for (let j = 0; j < kernelW; j++) {
        const row = ((c * kernelH + i) * kernelW + j) * columns;
        for (let b = 0; b < batch; b++) {
          const image = (b * channels + c) * height * width;
          let at = row + b * positions;
          for (let oy = 0; oy < outH; oy++) {
            const y = oy * strideH - padH + i;
            const inside = y >= 0 && y < height;
            for (let ox = 0; ox < outW; ox++) {
              const xx = ox * strideW - padW + j;
              col[at++] = inside && xx >= 0 && xx < width ? x[image + y * width + xx] : 0;
            }
          }
        }
      }
    }
  }
}

export function col2im(col: Float32Array, dx: Float32Array, g: WindowGeometry): void {
  const { batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = g;
  const positions = outH * outW;
  const columns = batch * positions;
  dx.fill(0, 0, batch * channels * height * width);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < kernelH; i++) {
      for (let j = 0; j < kernelW; j++) {
        const row = ((c * kernelH + i) * kernelW + j) * columns;
        for (let b = 0; b < batch; b++) {
          const image = (b * channels + c) * height * width;
          let at = row + b * positions;
          for (let oy = 0; oy < outH; oy++) {
            const y = oy * strideH - padH + i;
            const inside = y >= 0 && y < height;
            for (let ox = 0; ox < outW; ox++, at++) {
              const xx = ox * strideW - padW + j;
              if (inside && xx >= 0 && xx < width) dx[image + y * width + xx] += col[at];
            }
          }
        }
      }
    }
  }
}

export function channelMajorToBatch(
  src: Float32Array,
  dst: Float32Array,
  bias: Float32Array | null,
  batch: number,
  channels: number,
  inner: number,
): void {
  for (let c = 0; c < channels; c++) {
    const add = bias ? bias[c] : 0;
    for (let b = 0; b < batch; b++) {
      const from = (c * batch + b) * inner;
      const to = (b * channels + c) * inner;
      for (let p = 0; p < inner; p++) dst[to + p] = src[from + p] + add;
    }
  }
}

export function channelMajorToBatchActivation(
  kind: ActivationKind,
  src: Float32Array,
  dst: Float32Array,
  bias: Float32Array | null,
  batch: number,
  channels: number,
  inner: number,
  alpha: number,
): void {
  for (let c = 0; c < channels; c++) {
    const add = bias ? bias[c] : 0;
    for (let b = 0; b < batch; b++) {
      const from = (c * batch + b) * inner;
      const to = (b * channels + c) * inner;
      for (let p = 0; p < inner; p++) dst[to + p] = activate(kind, src[from + p] + add, alpha);
    }
  }
}

export function batchToChannelMajor(src: Float32Array, dst: Float32Array, batch: number, channels: number, inner: number): void {
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      const from = (b * channels + c) * inner;
      const to = (c * batch + b) * inner;
      for (let p = 0; p < inner; p++) dst[to + p] = src[from + p];
    }
  }
}

export function channelSums(x: Float32Array, sums: Float32Array, batch: number, channels: number, inner: number, accumulate: boolean): void {
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let b = 0; b < batch; b++) {
      const from = (b * channels + c) * inner;
      for (let p = 0; p < inner; p++) sum += x[from + p];
    }
    sums[c] = accumulate ? sums[c] + sum : sum;
  }
}

/**
 * A convolution's output gradient, ready for its GEMMs, in one pass: dst [channels, batch, inner]
 * = dy [batch, channels, inner] masked by the ReLU output y (0 where y ≤ 0) when y is given, and
 * dBias[c] (+)= Σ of channel c's masked values when dBias is given.
 */
export function convOutputGradient(
  dy: Float32Array,
  y: Float32Array | null,
  dst: Float32Array,
  dBias: Float32Array | null,
  batch: number,
  channels: number,
  inner: number,
  accumulate: boolean,
): void {
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let b = 0; b < batch; b++) {
      const from = (b * channels + c) * inner;
      const to = (c * batch + b) * inner;
      for (let p = 0; p < inner; p++) {
        const v = y && !(y[from + p] > 0) ? 0 : dy[from + p];
        dst[to + p] = v;
        sum += v;
      }
    }
    if (dBias) dBias[c] = accumulate ? dBias[c] + sum : sum;
  }
}

export function maxPoolForward(x: Float32Array, y: Float32Array, argmax: Int32Array, g: WindowGeometry): void {
  const { batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = g;
  let at = 0;
  for (let bc = 0; bc < batch * channels; bc++) {
    const image = bc * height * width;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++, at++) {
        let best = Number.NEGATIVE_INFINITY;
        let index = -1;
        // A NaN is the maximum: the first one ends the scan of the whole window.
        scan: for (let i = 0; i < kernelH; i++) {
          const yy = oy * strideH - padH + i;
          if (yy < 0 || yy >= height) continue;
          for (let j = 0; j < kernelW; j++) {
            const xx = ox * strideW - padW + j;
            if (xx < 0 || xx >= width) continue;
            const v = x[image + yy * width + xx];
            if (v > best || index < 0 || Number.isNaN(v)) {
              best = v;
              index = yy * width + xx;
              if (Number.isNaN(v)) break scan;
            }
          }
        }
        y[at] = best;
        argmax[at] = index;
      }
    }
  }
}

export function maxPoolBackward(dy: Float32Array, argmax: Int32Array, dx: Float32Array, g: WindowGeometry): void {
  const { batch, channels, height, width, outH, outW } = g;
  const plane = height * width;
  dx.fill(0, 0, batch * channels * plane);
  const outputs = outH * outW;
  for (let bc = 0; bc < batch * channels; bc++) {
    for (let p = 0; p < outputs; p++) {
      const at = bc * outputs + p;
      const index = argmax[at];
      if (index >= 0) dx[bc * plane + index] += dy[at];
    }
  }
}

export function avgPoolForward(x: Float32Array, y: Float32Array, g: WindowGeometry): void {
  const { batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = g;
  const divisor = kernelH * kernelW;
  let at = 0;
  for (let bc = 0; bc < batch * channels; bc++) {
    const image = bc * height * width;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++, at++) {
        let sum = 0;
        for (let i = 0; i < kernelH; i++) {
          const yy = oy * strideH - padH + i;
          if (yy < 0 || yy >= height) continue;
          for (let j = 0; j < kernelW; j++) {
            const xx = ox * strideW - padW + j;
            if (xx >= 0 && xx < width) sum += x[image + yy * width + xx];
          }
        }
        y[at] = sum / divisor;
      }
    }
  }
}

export function avgPoolBackward(dy: Float32Array, dx: Float32Array, g: WindowGeometry): void {
  const { batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = g;
  const divisor = kernelH * kernelW;
  dx.fill(0, 0, batch * channels * height * width);
  let at = 0;
  for (let bc = 0; bc < batch * channels; bc++) {
    const image = bc * height * width;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++, at++) {
        const share = dy[at] / divisor;
        for (let i = 0; i < kernelH; i++) {
          const yy = oy * strideH - padH + i;
          if (yy < 0 || yy >= height) continue;
          for (let j = 0; j < kernelW; j++) {
            const xx = ox * strideW - padW + j;
            if (xx >= 0 && xx < width) dx[image + yy * width + xx] += share;
          }
        }
      }
    }
  }
}

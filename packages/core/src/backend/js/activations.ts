import type { ActivationKind } from '../backend.js';

/** SELU constants (Klambauer et al. 2017), as in PyTorch. */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

export function activate(kind: ActivationKind, x: number, alpha: number): number {
  switch (kind) {
    case 'identity':
      return x;
    case 'relu':
      return Math.max(x, 0); // NaN propagates, as in PyTorch and the WASM kernel
    case 'leaky_relu':
      return x > 0 ? x : alpha * x;
    case 'sigmoid':
      return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    case 'tanh':
      return Math.tanh(x);
    case 'selu':
      return x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x);
  }
}

/** act'(x), given the input x and the output y = act(x). */
export function activationDerivative(kind: ActivationKind, x: number, y: number, alpha: number): number {
  switch (kind) {
    case 'identity':
      return 1;
    case 'relu':
      return x > 0 ? 1 : 0;
    case 'leaky_relu':
      return x > 0 ? 1 : alpha;
    case 'sigmoid':
      return y * (1 - y);
    case 'tanh':
      return 1 - y * y;
    case 'selu':
      return x > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA;
  }
}

export function activationForward(kind: ActivationKind, x: Float32Array, y: Float32Array, n: number, alpha: number): void {
  for (let i = 0; i < n; i++) y[i] = activate(kind, x[i], alpha);
}

export function activationBackward(
  kind: ActivationKind,
  x: Float32Array,
  y: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  n: number,
  alpha: number,
): void {
  for (let i = 0; i < n; i++) dx[i] = dy[i] * activationDerivative(kind, x[i], y[i], alpha);
}

export function biasActivationForward(
  kind: ActivationKind,
  z: Float32Array,
  bias: Float32Array | null,
  y: Float32Array,
  rows: number,
  cols: number,
  alpha: number,
): void {
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) {
      // v is the unrounded sum (as the compound assignment it replaces evaluated to).
      const v = bias ? z[row + c] + bias[c] : z[row + c];
      if (bias) z[row + c] = v;
      y[row + c] = activate(kind, v, alpha);
    }
  }
}

export function biasGradient(dz: Float32Array, dBias: Float32Array, rows: number, cols: number, accumulate: boolean): void {
  if (!accumulate) dBias.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) dBias[c] += dz[row + c];
  }
}

import type { ActivationKind, Backend } from '../backend/backend.js';
import { DEFAULT_LEAKY_ALPHA, type LayerSpec } from '../model/spec.js';
import type { ForwardContext } from './layer.js';
import { SameSizeLayer } from './same-size-layer.js';

/**
 * An elementwise activation (ReLU, LeakyReLU, Sigmoid, Tanh, SELU) whose forward and backward
 * loops are backend kernels. Keeps its input and output for the backward pass.
 */
export class ElementwiseActivation extends SameSizeLayer {
  readonly spec: LayerSpec;
  private input: Float32Array | null = null;

  constructor(
    readonly kind: Exclude<ActivationKind, 'identity'>,
    inputSize: number,
    backend: Backend,
    readonly alpha = 0,
  ) {
    super(inputSize, backend);
    this.spec = kind === 'leaky_relu' ? { type: kind, alpha } : { type: kind };
  }

  forward(x: Float32Array, rows: number, _context: ForwardContext): Float32Array {
    this.reserve(rows);
    this.backend.activationForward(this.kind, x, this.output!, rows * this.inputSize, this.alpha);
    this.input = x;
    return this.output!;
  }

  /**
   * Fused path: the preceding Dense layer wrote this layer's output itself (one
   * `biasActivationForward` pass over its pre-activation `z`); record `z` as the input for the
   * backward pass and return the output buffer that must receive act(z + bias).
   */
  outputForFusedInput(z: Float32Array, rows: number): Float32Array {
    this.reserve(rows);
    this.input = z;
    return this.output!;
  }

  backward(dy: Float32Array, rows: number): Float32Array {
    const dx = this.inputGradient!;
    this.backend.activationBackward(this.kind, this.input!, this.output!, dy, dx, rows * this.inputSize, this.alpha);
    return dx;
  }
}

/** max(0, x). */
export class ReLU extends ElementwiseActivation {
  constructor(width: number, backend: Backend) {
    super('relu', width, backend);
  }
}

/** x for x > 0, alpha·x otherwise (default alpha 0.01, as PyTorch). */
export class LeakyReLU extends ElementwiseActivation {
  constructor(width: number, backend: Backend, alpha = DEFAULT_LEAKY_ALPHA) {
    super('leaky_relu', width, backend, alpha);
  }
}

/** 1 / (1 + e^−x). */
export class Sigmoid extends ElementwiseActivation {
  constructor(width: number, backend: Backend) {
    super('sigmoid', width, backend);
  }
}

/** tanh(x). */
export class Tanh extends ElementwiseActivation {
  constructor(width: number, backend: Backend) {
    super('tanh', width, backend);
  }
}

/** Scaled ELU with the self-normalising constants of Klambauer et al. (as PyTorch's nn.SELU). */
export class SELU extends ElementwiseActivation {
  constructor(width: number, backend: Backend) {
    super('selu', width, backend);
  }
}

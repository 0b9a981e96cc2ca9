import type { ActivationKind, Backend } from '../backend/backend.js';
import { ConfigError, ErrorCode } from '../errors.js';
import { DEFAULT_LEAKY_ALPHA, type LayerSpec, type Shape } from '../model/spec.js';
import type { ForwardContext } from './layer.js';
import { defineLayer, invalidLayer, type LayerKind } from './layer-kind.js';
import { SameSizeLayer } from './same-size-layer.js';

/**
 * An elementwise activation (ReLU, LeakyReLU, Sigmoid, Tanh, SELU) whose forward and backward
 * loops are backend kernels. Keeps its input and output for the backward pass.
 */
export class ElementwiseActivation extends SameSizeLayer {
  readonly spec: LayerSpec;
  private input: Float32Array | null = null;
  /** Set when the producer applies this ReLU's derivative in its own backward (see outputMaskedByProducer). */
  private maskedByProducer = false;

  constructor(
    readonly kind: Exclude<ActivationKind, 'identity'>,
    shape: number | Shape,
    backend: Backend,
    readonly alpha = 0,
  ) {
    super(shape, backend);
    this.spec = kind === 'leaky_relu' ? { type: kind, alpha } : { type: kind };
  }

  forward(x: Float32Array, rows: number, _context: ForwardContext): Float32Array {
    this.reserve(rows);
    this.backend.activationForward(this.kind, x, this.output!, rows * this.inputSize, this.alpha);
    this.input = x;
    this.maskedByProducer = false;
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
    this.maskedByProducer = false;
    return this.output!;
  }

  /**
   * Fused path for ReLU only: the preceding layer writes max(0, z) into the returned output
   * buffer, which also stands for the input in the backward pass (ReLU's derivative reads only
   * whether the input is positive, and so is the output exactly then).
   */
  outputAsOwnInput(rows: number): Float32Array {
    if (this.kind !== 'relu') {
      throw new ConfigError(ErrorCode.INVALID_STATE, `outputAsOwnInput: only ReLU's output can stand for its input, not ${this.kind}'s`);
    }
    this.reserve(rows);
    this.input = this.output;
    this.maskedByProducer = false;
    return this.output!;
  }

  /**
   * {@link outputAsOwnInput}, and the producer also takes over the backward pass: it masks the
   * gradient with this output itself (in the same pass as its weight gradient), so this layer's
   * backward hands dy through untouched. Until the next forward.
   */
  outputMaskedByProducer(rows: number): Float32Array {
    const y = this.outputAsOwnInput(rows);
    this.maskedByProducer = true;
    return y;
  }

  backward(dy: Float32Array, rows: number): Float32Array {
    if (this.maskedByProducer) return dy;
    const dx = this.inputGradient!;
    this.backend.activationBackward(this.kind, this.input!, this.output!, dy, dx, rows * this.inputSize, this.alpha);
    return dx;
  }
}

/** max(0, x). */
export class ReLU extends ElementwiseActivation {
  constructor(width: number | Shape, backend: Backend) {
    super('relu', width, backend);
  }
}

/** x for x > 0, alpha·x otherwise (default alpha 0.01, as PyTorch). */
export class LeakyReLU extends ElementwiseActivation {
  constructor(width: number | Shape, backend: Backend, alpha = DEFAULT_LEAKY_ALPHA) {
    super('leaky_relu', width, backend, alpha);
  }
}

/** 1 / (1 + e^−x). */
export class Sigmoid extends ElementwiseActivation {
  constructor(width: number | Shape, backend: Backend) {
    super('sigmoid', width, backend);
  }
}

/** tanh(x). */
export class Tanh extends ElementwiseActivation {
  constructor(width: number | Shape, backend: Backend) {
    super('tanh', width, backend);
  }
}

/** Scaled ELU with the self-normalising constants of Klambauer et al. (as PyTorch's nn.SELU). */
export class SELU extends ElementwiseActivation {
  constructor(width: number | Shape, backend: Backend) {
    super('selu', width, backend);
  }
}

type ActivationSpec<T extends 'relu' | 'leaky_relu' | 'sigmoid' | 'tanh' | 'selu'> = Extract<LayerSpec, { type: T }>;

/** Registry entry for a parameter-free elementwise activation, printed as PyTorch names it. */
function activationLayer<T extends 'relu' | 'sigmoid' | 'tanh' | 'selu'>(type: T, torchName: string): LayerKind<ActivationSpec<T>> {
  // Built for the union of these kinds, then narrowed: TypeScript cannot relate `T` to Extract<…, T>.
  const kind: LayerKind<ActivationSpec<'relu' | 'sigmoid' | 'tanh' | 'selu'>> = defineLayer({
    type,
    validate: () => {},
    outputShape: (_spec, inputShape) => inputShape,
    parameters: () => ({}),
    create: (_spec, { inputShape, backend }) => new ElementwiseActivation(type, inputShape, backend),
    describe: () => `${torchName}()`,
  });
  return kind as unknown as LayerKind<ActivationSpec<T>>;
}

export const reluLayer = activationLayer('relu', 'ReLU');
export const sigmoidLayer = activationLayer('sigmoid', 'Sigmoid');
export const tanhLayer = activationLayer('tanh', 'Tanh');
export const seluLayer = activationLayer('selu', 'SELU');
export const leakyReluLayer = defineLayer<ActivationSpec<'leaky_relu'>>({
  type: 'leaky_relu',
  validate(spec, _inputShape, where) {
    if (!(typeof spec.alpha === 'number' && Number.isFinite(spec.alpha))) throw invalidLayer(where, `alpha must be a finite number, got ${spec.alpha}`);
  },
  outputShape: (_spec, inputShape) => inputShape,
  parameters: () => ({}),
  create: (spec, { inputShape, backend }) => new ElementwiseActivation('leaky_relu', inputShape, backend, spec.alpha),
  describe: (spec) => `LeakyReLU(negative_slope=${spec.alpha})`,
});

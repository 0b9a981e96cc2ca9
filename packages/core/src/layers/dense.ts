import type { Backend } from '../backend/backend.js';
import { defaultInitializer, type InitializerName, initialize } from '../init.js';
import type { LayerSpec, Shape } from '../model/spec.js';
import type { Parameter } from '../parameter.js';
import { getBackend } from '../backend/index.js';
import { Rng } from '../random.js';
import { Tensor } from '../tensor.js';
import type { ElementwiseActivation } from './activations.js';
import { defineLayer, expectRank, invalidLayer, isPositiveInt } from './layer-kind.js';
import { ensureBuffer, type ForwardContext, type Layer, type LayerBuffer, releaseBuffers } from './layer.js';
import { checkInitializer } from './initializer-field.js';

/**
 * Fully connected layer, as PyTorch's nn.Linear (`new Dense(784, 128)` stands alone, on the current
 * backend with seed-0 weights; pass it to `new Sequential([...])`, which keeps them): weight [outputSize, inputSize], bias
 * [outputSize], y = x·Wᵀ + b. The weight is initialised by `init` (default: suited to the
 * activation that follows), the bias with zeros.
 */
export class Dense implements Layer {
  readonly spec: LayerSpec;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly parameters: readonly Parameter[];
  readonly buffers: readonly LayerBuffer[] = [];
  private output: Float32Array | null = null;
  private inputGradient: Float32Array | null = null;
  private input: Float32Array | null = null;

  constructor(
    readonly inputSize: number,
    readonly outputSize: number,
    private readonly backend: Backend = getBackend(),
    options: { prefix: string; rng: Rng; init?: InitializerName; nextActivation?: string } = { prefix: '', rng: new Rng(0) },
  ) {
    this.spec = { type: 'dense', inputSize, outputSize, ...(options.init ? { init: options.init } : {}) };
    this.inputShape = [inputSize];
    this.outputShape = [outputSize];
    const w = new Tensor([outputSize, inputSize], backend.allocate(outputSize * inputSize));
    initialize(w.data, options.init ?? defaultInitializer(options.nextActivation), inputSize, outputSize, options.rng);
    this.weight = { name: `${options.prefix}weight`, value: w, grad: new Tensor(w.shape, backend.allocate(w.size)) };
    this.bias = {
      name: `${options.prefix}bias`,
      value: new Tensor([outputSize], backend.allocate(outputSize)),
      grad: new Tensor([outputSize], backend.allocate(outputSize)),
    };
    this.parameters = [this.weight, this.bias];
  }

  reserve(rows: number): void {
    this.output = ensureBuffer(this.backend, this.output, rows * this.outputSize);
    this.inputGradient = ensureBuffer(this.backend, this.inputGradient, rows * this.inputSize);
  }

  forward(x: Float32Array, rows: number, _context: ForwardContext): Float32Array {
    this.reserve(rows);
    const y = this.output!;
    this.backend.gemm(false, true, rows, this.outputSize, this.inputSize, x, this.weight.value.data, y, false);
    this.backend.biasActivationForward('identity', y, this.bias.value.data, y, rows, this.outputSize, 0);
    this.input = x;
    return y;
  }

  /**
   * Forward fused with the elementwise activation that follows: z = x·Wᵀ, then one pass adds the
   * bias and applies the activation (saving a pass over the batch and a kernel call). Returns the
   * activation's output; both layers' backward passes then work as if run separately.
   */
  forwardFused(x: Float32Array, rows: number, activation: ElementwiseActivation): Float32Array {
    this.reserve(rows);
    const z = this.output!;
    this.backend.gemm(false, true, rows, this.outputSize, this.inputSize, x, this.weight.value.data, z, false);
    const y = activation.outputForFusedInput(z, rows);
    this.backend.biasActivationForward(activation.kind, z, this.bias.value.data, y, rows, this.outputSize, activation.alpha);
    this.input = x;
    return y;
  }

  dispose(): void {
    const { weight, bias } = this;
    releaseBuffers(this.backend, weight.value.data, weight.grad.data, bias.value.data, bias.grad.data, this.output, this.inputGradient);
    this.output = null;
    this.inputGradient = null;
  }

  backward(dy: Float32Array, rows: number, needInputGradient: boolean, overwriteGradients = false): Float32Array | null {
    const { backend, inputSize, outputSize } = this;
    // dW += dyᵀ·x, db += Σ_rows dy, dx = dy·W (dW = …, db = … when overwriting)
    backend.gemm(true, false, outputSize, inputSize, rows, dy, this.input!, this.weight.grad.data, !overwriteGradients);
    backend.biasGradient(dy, this.bias.grad.data, rows, outputSize, !overwriteGradients);
    if (!needInputGradient) return null;
    const dx = this.inputGradient!;
    backend.gemm(false, false, rows, inputSize, outputSize, dy, this.weight.value.data, dx, false);
    return dx;
  }
}

/** Registry entry: nn.Linear on a flat input. */
export const denseLayer = defineLayer<Extract<LayerSpec, { type: 'dense' }>>({
  type: 'dense',
  validate(spec, inputShape, where) {
    if (!isPositiveInt(spec.inputSize) || !isPositiveInt(spec.outputSize)) {
      throw invalidLayer(where, 'inputSize and outputSize must be positive integers');
    }
    expectRank(inputShape, 1, where, "add a 'flatten' layer before it");
    if (spec.inputSize !== inputShape[0]) {
      throw invalidLayer(where, `expects ${spec.inputSize} inputs but the previous layer gives ${inputShape[0]}`);
    }
    checkInitializer(spec.init, where);
  },
  outputShape: (spec) => [spec.outputSize],
  parameters: (spec) => ({ weight: [spec.outputSize, spec.inputSize], bias: [spec.outputSize] }),
  create: (spec, { index, backend, rng, next }) =>
    new Dense(spec.inputSize, spec.outputSize, backend, { prefix: `${index}.`, rng, init: spec.init, nextActivation: next?.type }),
  describe: (spec) => `Linear(in_features=${spec.inputSize}, out_features=${spec.outputSize}, bias=True)`,
});

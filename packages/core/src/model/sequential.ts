import type { Backend } from '../backend/backend.js';
import { ConfigError, ErrorCode, formatShape, ShapeError } from '../errors.js';
import { ElementwiseActivation } from '../layers/activations.js';
import { Conv2d } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import type { ForwardContext, Layer } from '../layers/layer.js';
import type { Parameter } from '../parameter.js';
import { Rng } from '../random.js';
import { Tensor } from '../tensor.js';
import type { LayerBuffer } from '../layers/layer.js';
import type { BuildModelOptions } from './build-model.js';
import { sequentialFrom } from './sequential-factory.js';
import { type ModelSpec, modelInputShape, type Shape, shapeSize } from './spec.js';
import type { LayerInit } from './spec-from-layers.js';

/**
 * A stack of layers applied in order, like PyTorch's nn.Sequential. Build one with
 * `buildModel(spec)` or `buildModel(parseArchitecture('784-128-10'))`.
 *
 * Starts in training mode (dropout active), as PyTorch modules do; call `eval()` for inference.
 */
export class Sequential {
  /** Shape of one example in and out, channels first: [784] or [1, 28, 28] in, [10] out. */
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  /** Values per example in and out. */
  readonly inputSize: number;
  readonly outputSize: number;
  /** Source of dropout masks in training mode; `fit` swaps in its own seeded generator. */
  rng: Rng;
  private isTraining = true;
  private lastRows = -1;
  private readonly params: Parameter[];
  private readonly stateBuffers: LayerBuffer[];
  private readonly context: { training: boolean; rng: Rng };
  /** fusedActivation[i]: the activation layer i+1 whose forward layer i (a Dense, or a Conv2d before a ReLU) runs fused with its own. */
  private readonly fusedActivation: ReadonlyArray<ElementwiseActivation | null>;

  readonly spec: ModelSpec;
  readonly layers: readonly Layer[];
  readonly backend: Backend;

  /**
   * Layers listed by hand, as torch.nn.Sequential: `new Sequential([dense(784, 128), relu(),
   * dense(128, 10)], { seed: 1 })` (see `sequential`); sizes implied by the layer before may be
   * left out, wrong ones throw a ShapeError naming both shapes.
   */
  constructor(layers: ReadonlyArray<LayerInit>, options?: BuildModelOptions);
  /** The form `buildModel` uses: a validated spec and its built layers. */
  constructor(spec: ModelSpec, layers: readonly Layer[], backend: Backend, rng?: Rng);
  constructor(
    specOrLayers: ModelSpec | ReadonlyArray<LayerInit>,
    layersOrOptions?: readonly Layer[] | BuildModelOptions,
    backend?: Backend,
    rng: Rng = new Rng(0),
  ) {
    let spec: ModelSpec;
    let layers: readonly Layer[];
    if (Array.isArray(specOrLayers)) {
      // Through buildModel like every model (the layer registry, initializers, the seed): this
      // instance takes over the layers it built.
      const built = sequentialFrom(specOrLayers, (layersOrOptions as BuildModelOptions | undefined) ?? {});
      ({ spec, layers, backend } = built);
      rng = built.rng;
    } else {
      if (!Array.isArray(layersOrOptions) || backend === undefined) {
        throw new ConfigError(ErrorCode.INVALID_ARGUMENT, 'new Sequential: give a list of layers, e.g. new Sequential([dense(784, 128), relu(), dense(128, 10)]), or use buildModel(spec)');
      }
      spec = specOrLayers as ModelSpec;
      layers = layersOrOptions as readonly Layer[];
    }
    this.spec = spec;
    this.layers = layers;
    this.backend = backend;
    this.inputShape = modelInputShape(spec);
    this.outputShape = layers.length ? layers[layers.length - 1].outputShape : this.inputShape;
    this.inputSize = shapeSize(this.inputShape);
    this.outputSize = shapeSize(this.outputShape);
    this.params = layers.flatMap((layer) => [...layer.parameters]);
    this.stateBuffers = layers.flatMap((layer) => [...layer.buffers]);
    this.rng = rng;
    this.context = { training: true, rng };
    this.fusedActivation = layers.map((layer, i) => {
      const next = layers[i + 1];
      if (!(next instanceof ElementwiseActivation)) return null;
      if (layer instanceof Dense) return next;
      return layer instanceof Conv2d && next.kind === 'relu' ? next : null;
    });
  }

  /** True in training mode (dropout active). */
  get training(): boolean {
    return this.isTraining;
  }

  /** Training mode: dropout active. */
  train(): this {
    this.isTraining = true;
    return this;
  }

  /** Evaluation mode: dropout is a pass-through. */
  eval(): this {
    this.isTraining = false;
    return this;
  }

  /** Grows every layer's buffers to hold `rows` rows, so later batches of that size allocate nothing. */
  reserve(rows: number): void {
    for (const layer of this.layers) layer.reserve(rows);
  }

  /**
   * Forward pass over the first `rows` rows of a flat [rows, inputSize] buffer. Returns the last
   * layer's output buffer (valid until the next forward; read only its first rows·outputSize values).
   * Allocation-free once `reserve(rows)` has run; this is what `fit` calls.
   */
  forwardBatch(x: Float32Array, rows: number): Float32Array {
    if (x.length < rows * this.inputSize) {
      throw new ShapeError('Sequential.forward', `input buffer holds ${x.length} values, ${rows} rows of ${this.inputSize} need ${rows * this.inputSize}`);
    }
    const context = this.context;
    context.training = this.isTraining;
    context.rng = this.rng;
    let out = x;
    const layers = this.layers;
    for (let i = 0; i < layers.length; i++) {
      const activation = this.fusedActivation[i];
      if (activation) {
        out = (layers[i] as Dense | Conv2d).forwardFused(out, rows, activation);
        i++; // the activation's forward is done
      } else {
        out = layers[i].forward(out, rows, context as ForwardContext);
      }
    }
    this.lastRows = rows;
    return out;
  }

  /**
   * Backward pass for the last `forwardBatch`: ADDS into every parameter's gradient (replaces it
   * with `overwriteGradients`, so no zeroGrad is needed first) and returns dLoss/dInput when
   * `needInputGradient` (otherwise null, skipping the first layer's input gradient).
   */
  backwardBatch(dOutput: Float32Array, rows: number, needInputGradient = false, overwriteGradients = false): Float32Array | null {
    if (rows !== this.lastRows) {
      throw new ConfigError(ErrorCode.INVALID_STATE, `Sequential.backward: ${rows} rows, but the last forward pass had ${this.lastRows}; call forward first`);
    }
    let grad: Float32Array | null = dOutput;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      grad = this.layers[i].backward(grad!, rows, needInputGradient || i > 0, overwriteGradients);
    }
    return grad;
  }

  /** Forward pass of a [batch, ...inputShape] tensor (or flat [batch, inputSize] rows); returns [batch, ...outputShape]. */
  forward(x: Tensor): Tensor {
    const rows = this.checkInput(x);
    const out = this.forwardBatch(x.data, rows);
    const result = new Tensor([rows, ...this.outputShape]);
    result.data.set(out.subarray(0, rows * this.outputSize));
    return result;
  }

  /** Backward pass of the last `forward`: accumulates parameter gradients and returns dLoss/dInput as [batch, inputSize]. */
  backward(dOutput: Tensor): Tensor {
    const rows = this.lastRows;
    if (dOutput.rank < 2 || dOutput.shape[0] !== rows || dOutput.size !== rows * this.outputSize) {
      throw new ShapeError('Sequential.backward', `gradient ${formatShape(dOutput.shape)} does not match the last output ${formatShape([rows, ...this.outputShape])}`);
    }
    const dx = this.backwardBatch(dOutput.data, rows, true)!;
    const result = new Tensor([rows, ...this.inputShape]);
    result.data.set(dx.subarray(0, rows * this.inputSize));
    return result;
  }

  /**
   * Hands every buffer (weights, gradients, activations) back to the backend. Call it when a model
   * is done with on a backend whose memory is not garbage-collected (WebAssembly), e.g. between
   * trials of a search; the model is unusable afterwards.
   */
  dispose(): void {
    for (const layer of this.layers) layer.dispose();
  }

  /** Trainable parameters in PyTorch state_dict order ('0.weight', '0.bias', '2.weight', …). */
  parameters(): Parameter[] {
    return [...this.params];
  }

  namedParameters(): Array<[string, Parameter]> {
    return this.params.map((p) => [p.name, p]);
  }

  /** Non-trainable state (batch norm's running statistics), named as in PyTorch's state_dict. */
  buffers(): LayerBuffer[] {
    return [...this.stateBuffers];
  }

  /** Number of trainable scalars. */
  parameterCount(): number {
    return this.params.reduce((sum, p) => sum + p.value.size, 0);
  }

  /** Sets every gradient to zero. */
  zeroGrad(): void {
    for (const p of this.params) p.grad.data.fill(0);
  }

  /** Parameters and buffers in PyTorch's state_dict order (each layer's parameters, then its buffers). */
  private stateEntries(): Array<{ name: string; value: Tensor }> {
    return this.layers.flatMap((layer) => [...layer.parameters, ...layer.buffers]);
  }

  /** Copies of every parameter and buffer, keyed by name, in PyTorch's state_dict order. */
  stateDict(): Map<string, Tensor> {
    // slice(): a garbage-collected copy, wherever the parameter itself lives.
    return new Map(this.stateEntries().map((p) => [p.name, new Tensor(p.value.shape, p.value.data.slice())]));
  }

  /** Copies values into the parameters and buffers; names and shapes must match exactly. */
  loadStateDict(state: Map<string, Tensor> | Record<string, Tensor>): void {
    const entries = state instanceof Map ? state : new Map(Object.entries(state));
    const all = this.stateEntries();
    const expected = new Set(all.map((p) => p.name));
    const missing = [...expected].filter((name) => !entries.has(name));
    const unexpected = [...entries.keys()].filter((name) => !expected.has(name));
    if (missing.length || unexpected.length) {
      throw new ConfigError(
        ErrorCode.INVALID_STATE,
        `loadStateDict: state does not fit this model (missing: ${missing.join(', ') || 'none'}; unexpected: ${unexpected.join(', ') || 'none'}); was it saved from a model with another architecture?`,
      );
    }
    for (const p of all) {
      const t = entries.get(p.name)!;
      const shape = t.shape;
      if (shape.length !== p.value.rank || shape.some((d, i) => d !== p.value.shape[i]) || t.data.length !== p.value.size) {
        throw new ShapeError('loadStateDict', `'${p.name}' has shape ${formatShape(shape)} but the model expects ${formatShape(p.value.shape)}`);
      }
    }
    for (const p of all) p.value.data.set(entries.get(p.name)!.data);
  }

  /**
   * Accepts [batch, ...inputShape], or [batch, inputSize] flat rows (the layout batches have in
   * memory), or any [batch, …] of the right size when the first layer flattens.
   */
  private checkInput(x: Tensor): number {
    const rows = x.shape[0];
    const example = x.shape.slice(1);
    const exact = example.length === this.inputShape.length && example.every((d, i) => d === this.inputShape[i]);
    const flat = example.length === 1 && example[0] === this.inputSize;
    const flattens = this.layers[0]?.spec.type === 'flatten' && shapeSize(example) === this.inputSize;
    if (x.rank < 2 || !(exact || flat || flattens)) {
      throw new ShapeError('Sequential.forward', `input ${formatShape(x.shape)} does not match the model input [batch, ${this.inputShape.join(', ')}]`);
    }
    return rows;
  }
}

import type { Backend } from '../backend/backend.js';
import { formatShape } from '../errors.js';
import type { LayerSpec, Shape } from '../model/spec.js';
import type { Parameter } from '../parameter.js';
import { Tensor } from '../tensor.js';
import { defineLayer, invalidLayer, isPositiveInt, type LayerKind } from './layer-kind.js';
import { ensureBuffer, type ForwardContext, type Layer, type LayerBuffer, releaseBuffers, shapeSize } from './layer.js';

type BatchNormSpec = Extract<LayerSpec, { type: 'batch_norm1d' | 'batch_norm2d' }>;

export const DEFAULT_BATCH_NORM_EPS = 1e-5;
export const DEFAULT_BATCH_NORM_MOMENTUM = 0.1;

/**
 * Batch normalisation with PyTorch's semantics (BatchNorm1d over [features] or [features, length],
 * BatchNorm2d over [channels, height, width]): in training mode each channel is normalised with
 * the batch's mean and biased variance and the running statistics move by `momentum` (variance
 * unbiased); in evaluation mode the running statistics normalise. weight (γ) starts at 1, bias (β)
 * at 0; running_mean, running_var and num_batches_tracked are state_dict buffers.
 */
export class BatchNorm implements Layer {
  readonly spec: BatchNormSpec;
  readonly outputShape: Shape;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly parameters: readonly Parameter[];
  readonly runningMean: LayerBuffer;
  readonly runningVar: LayerBuffer;
  readonly batchesTracked: LayerBuffer;
  readonly buffers: readonly LayerBuffer[];
  private readonly channels: number;
  private readonly inner: number;
  private readonly eps: number;
  private readonly momentum: number;
  private readonly mean: Float32Array;
  private readonly invStd: Float32Array;
  private output: Float32Array | null = null;
  private inputGradient: Float32Array | null = null;
  private normalized: Float32Array | null = null;
  private lastTraining = true;

  constructor(
    spec: BatchNormSpec,
    readonly inputShape: Shape,
    private readonly backend: Backend,
    prefix: string,
  ) {
    this.spec = { ...spec };
    this.outputShape = inputShape;
    this.inputSize = this.outputSize = shapeSize(inputShape);
    this.channels = inputShape[0];
    this.inner = this.inputSize / this.channels;
    this.eps = spec.eps ?? DEFAULT_BATCH_NORM_EPS;
    this.momentum = spec.momentum ?? DEFAULT_BATCH_NORM_MOMENTUM;
    const c = this.channels;
    const tensor = (fill: number) => new Tensor([c], backend.allocate(c).fill(fill));
    this.weight = { name: `${prefix}weight`, value: tensor(1), grad: tensor(0) };
    this.bias = { name: `${prefix}bias`, value: tensor(0), grad: tensor(0) };
    this.parameters = [this.weight, this.bias];
    this.runningMean = { name: `${prefix}running_mean`, value: tensor(0), dtype: 'float32' };
    this.runningVar = { name: `${prefix}running_var`, value: tensor(1), dtype: 'float32' };
    this.batchesTracked = { name: `${prefix}num_batches_tracked`, value: new Tensor([], backend.allocate(1)), dtype: 'int64' };
    this.buffers = [this.runningMean, this.runningVar, this.batchesTracked];
    this.mean = backend.allocate(c);
    this.invStd = backend.allocate(c);
  }

  reserve(rows: number): void {
    this.output = ensureBuffer(this.backend, this.output, rows * this.inputSize);
    this.inputGradient = ensureBuffer(this.backend, this.inputGradient, rows * this.inputSize);
    this.normalized = ensureBuffer(this.backend, this.normalized, rows * this.inputSize);
  }

  forward(x: Float32Array, rows: number, context: ForwardContext): Float32Array {
    this.reserve(rows);
    const training = context.training;
    this.lastTraining = training;
    this.backend.batchNormForward(
      x,
      this.output!,
      this.normalized!,
      this.weight.value.data,
      this.bias.value.data,
      this.mean,
      this.invStd,
      this.runningMean.value.data,
      this.runningVar.value.data,
      rows,
      this.channels,
      this.inner,
      this.momentum,
      this.eps,
      training,
    );
    if (training) this.batchesTracked.value.data[0] += 1;
    return this.output!;
  }

  backward(dy: Float32Array, rows: number, needInputGradient: boolean, overwriteGradients = false): Float32Array | null {
    this.backend.batchNormBackward(
      dy,
      this.normalized!,
      this.weight.value.data,
      this.invStd,
      this.inputGradient!,
      this.weight.grad.data,
      this.bias.grad.data,
      rows,
      this.channels,
      this.inner,
      !overwriteGradients,
      this.lastTraining,
    );
    return needInputGradient ? this.inputGradient! : null;
  }

  dispose(): void {
    for (const t of [...this.parameters.flatMap((p) => [p.value, p.grad]), ...this.buffers.map((b) => b.value)]) this.backend.release(t.data);
    releaseBuffers(this.backend, this.mean, this.invStd, this.output, this.inputGradient, this.normalized);
    this.output = this.inputGradient = this.normalized = null;
  }
}

function batchNormLayer<T extends BatchNormSpec['type']>(type: T, ranks: readonly number[], torchName: string): LayerKind<Extract<BatchNormSpec, { type: T }>> {
  // Built for the union, then narrowed: TypeScript cannot relate `T` to Extract<BatchNormSpec, { type: T }>.
  const kind: LayerKind<BatchNormSpec> = defineLayer<BatchNormSpec>({
    type,
    validate(spec, inputShape, where) {
      if (!isPositiveInt(spec.numFeatures)) throw invalidLayer(where, `numFeatures must be a positive integer, got ${spec.numFeatures}`);
      if (!ranks.includes(inputShape.length)) {
        const wanted = type === 'batch_norm2d' ? '[channels, height, width]' : '[features] or [features, length]';
        throw invalidLayer(where, `expects an input ${wanted} but gets ${formatShape(inputShape)}`);
      }
      if (spec.numFeatures !== inputShape[0]) {
        throw invalidLayer(where, `numFeatures is ${spec.numFeatures} but the previous layer gives ${inputShape[0]} channels`);
      }
      if (spec.eps !== undefined && !(typeof spec.eps === 'number' && spec.eps > 0)) throw invalidLayer(where, `eps must be a positive number, got ${spec.eps}`);
      if (spec.momentum !== undefined && !(typeof spec.momentum === 'number' && spec.momentum >= 0 && spec.momentum <= 1)) {
        throw invalidLayer(where, `momentum must be in [0, 1], got ${spec.momentum}`);
      }
    },
    outputShape: (_spec, inputShape) => inputShape,
    parameters: (spec) => ({ weight: [spec.numFeatures], bias: [spec.numFeatures] }),
    buffers: (spec) => ({
      running_mean: { shape: [spec.numFeatures], dtype: 'float32' },
      running_var: { shape: [spec.numFeatures], dtype: 'float32' },
      num_batches_tracked: { shape: [], dtype: 'int64' },
    }),
    create: (spec, { index, inputShape, backend }) => new BatchNorm(spec, inputShape, backend, `${index}.`),
    describe: (spec) =>
      `${torchName}(${spec.numFeatures}, eps=${pyFloat(spec.eps ?? DEFAULT_BATCH_NORM_EPS)}, momentum=${pyFloat(spec.momentum ?? DEFAULT_BATCH_NORM_MOMENTUM)}, affine=True, track_running_stats=True)`,
  });
  return kind as unknown as LayerKind<Extract<BatchNormSpec, { type: T }>>;
}

/** A float as Python prints it (1e-05, 0.1). */
function pyFloat(v: number): string {
  if (v === 0 || Math.abs(v) >= 1e-4) return String(v);
  return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
}

export const batchNorm1dLayer = batchNormLayer('batch_norm1d', [1, 2], 'BatchNorm1d');
export const batchNorm2dLayer = batchNormLayer('batch_norm2d', [3], 'BatchNorm2d');

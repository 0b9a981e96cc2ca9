import type { StoredEpochRecord, TrainingRecord } from '@scratchnet/model-format';
import { CNN_ARCHITECTURES, type ModelSpec, modelInputShape, parseArchitecture, type Shape, summarizeModel, type TrainerState } from '@scratchnet/core';

/**
 * One state_dict tensor by its PyTorch name: parameters ('0.weight' [out, in] or [out, in, kh, kw],
 * '0.bias' [out]) and batch-norm buffers ('1.running_mean', '1.num_batches_tracked', held here
 * as float32 and written as int64 by model-format, as the spec says).
 */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** One epoch's metrics as core's `fit` reports them: model-format's stored EpochRecord (0-based). */
export type EpochMetrics = StoredEpochRecord;

/** How a model was trained: the checkpoint's training record, the same one the CLI writes. */
export type TrainingSummary = TrainingRecord;

/**
 * A trained model as plain data: what the worker posts to the page after each epoch, what the
 * predictor is built from, and what a checkpoint encodes. Structured-clone friendly.
 */
export interface ModelSnapshot {
  spec: ModelSpec;
  /** The whole state_dict (parameters and buffers) in PyTorch's order. */
  tensors: NamedTensor[];
  classNames: string[];
  training?: TrainingSummary;
  /**
   * Where training stood (epoch, batch, optimizer moments, dropout RNG), so "continue" can pick
   * up exactly where it stopped; saved in checkpoints too.
   */
  trainer?: TrainerState;
}

/** Total number of trainable values (batch-norm statistics are not parameters). */
export function parameterCount(snapshot: ModelSnapshot): number {
  return summarizeModel(snapshot.spec).reduce((sum, layer) => sum + layer.parameterCount, 0);
}

/** Whether a model takes images of `imageShape` ([channels, rows, cols]), as an image or flattened. */
export function acceptsImages(spec: ModelSpec, imageShape: Shape): boolean {
  const input = modelInputShape(spec);
  const size = imageShape.reduce((a, b) => a * b, 1);
  if (input.length === 1) return input[0] === size;
  return input.length === imageShape.length && input.every((d, i) => d === imageShape[i]);
}

/** JSON with object keys sorted, so specs compare equal whatever order a checkpoint wrote them in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The preset name of a spec that is exactly one of core's CNN architectures, e.g. "lenet5". */
function cnnName(spec: ModelSpec): string | null {
  const json = canonicalJson(spec);
  for (const [name, architecture] of Object.entries(CNN_ARCHITECTURES)) {
    if (canonicalJson(parseArchitecture(architecture)) === json) return name;
  }
  return null;
}

const FLAT_ONLY = new Set(['dense', 'relu', 'leaky_relu', 'sigmoid', 'tanh', 'selu', 'softmax', 'identity', 'dropout']);

/**
 * A short name for a model, used in the status lines and checkpoint file names: "784-16-16-10"
 * for an MLP, the preset name ("lenet5") for one of core's CNNs, otherwise the input shape and
 * the layers that shape the data ("1x28x28-conv8-maxpool-flatten-10"), read from the layer registry's summary.
 */
export function describeArchitecture(spec: ModelSpec): string {
  const layers = summarizeModel(spec);
  const input = modelInputShape(spec);
  if (input.length === 1 && layers.every((l) => FLAT_ONLY.has(l.spec.type))) {
    return [input[0], ...layers.filter((l) => l.spec.type === 'dense').map((l) => l.outputShape[0])].join('-');
  }
  const named = cnnName(spec);
  if (named) return named;
  const tokens = layers.flatMap((l): string[] => {
    switch (l.spec.type) {
      case 'conv2d':
        return [`conv${l.spec.outChannels}`];
      case 'max_pool2d':
        return ['maxpool'];
      case 'avg_pool2d':
        return ['avgpool'];
      case 'batch_norm1d':
      case 'batch_norm2d':
        return ['bn'];
      case 'flatten':
        return ['flatten'];
      case 'dense':
        return [String(l.outputShape[0])];
      default:
        return [];
    }
  });
  return [input.join('x'), ...tokens].join('-');
}

import type { ModelSpec, TrainerState } from '@scratchnet/core';

/** One parameter tensor by its PyTorch state_dict name ('0.weight' [out, in], '0.bias' [out]). */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** One epoch's metrics as core's `fit` reports them (epoch 0-based; loss, accuracy, valLoss, valAccuracy, learningRate). */
export type EpochMetrics = { epoch: number } & Record<string, number | null>;

/** How a model was trained; becomes the checkpoint's training record. */
export interface TrainingSummary {
  dataset: string;
  hyperparameters: Record<string, string | number | boolean | null>;
  seed: number | null;
  epochs: number;
  history: EpochMetrics[];
  finalMetrics: Record<string, number | null>;
}

/**
 * A trained model as plain data: what the worker posts to the page after each epoch, what the
 * predictor is built from, and what a checkpoint encodes. Structured-clone friendly.
 */
export interface ModelSnapshot {
  spec: ModelSpec;
  tensors: NamedTensor[];
  classNames: string[];
  training?: TrainingSummary;
  /**
   * Where training stood (epoch, batch, optimizer moments, dropout RNG), so "continue" can pick
   * up exactly where it stopped; saved in checkpoints too.
   */
  trainer?: TrainerState;
}

/** Total number of trainable values. */
export function parameterCount(snapshot: ModelSnapshot): number {
  return snapshot.tensors.reduce((sum, t) => sum + t.data.length, 0);
}

/** "784-16-16-10" from a spec's dense layers. */
export function describeArchitecture(spec: ModelSpec): string {
  const dense = spec.layers.filter((l): l is Extract<ModelSpec['layers'][number], { type: 'dense' }> => l.type === 'dense');
  return [spec.inputSize, ...dense.map((l) => l.outputSize)].join('-');
}

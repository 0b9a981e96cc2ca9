import type { ModelSpec, OptimizerState, Tensor, TrainerState } from '@scratchnet/core';
import type { TrainingRecord } from './training-record.js';

/** The format name stored in `__metadata__.format`. */
export const FORMAT_NAME = 'scratchnet';

/**
 * The format version this library writes. Readers accept this and every older version.
 * - 1: parameters + spec, class names, training record (history as one array per metric), SHA-256.
 * - 2: history as one row per epoch; optional optimizer state (slot tensors `optimizer.*`) and
 *   trainer state (`trainer` JSON, tensors `trainer.*`) for exact resume.
 * - 3: convolutional models: `model_spec.inputShape` and the layer kinds conv2d, max_pool2d,
 *   avg_pool2d, batch_norm1d and batch_norm2d, whose buffers (`running_mean`, `running_var` F32,
 *   `num_batches_tracked` I64) are stored beside the parameters, as in a PyTorch state_dict.
 * - 4: one training record for the CLI and the desktop: history rows are core's EpochRecord
 *   (epoch 0-based and in order, loss, accuracy, valLoss, valAccuracy, learningRate, optional
 *   seconds; nothing else), hyperparameters under the CLI's setting names (core's TrainingHyperparameters).
 */
export const FORMAT_VERSION = 4;

/** Version of this library, recorded in every checkpoint it writes. */
export const LIBRARY_VERSION = '0.1.0';

/** A named F32 tensor: shape plus row-major values (core's `Tensor` fits). */
export interface Float32TensorLike {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** What a checkpoint records besides the model itself. */
export interface CheckpointExtras {
  /** Class names, index = class id. */
  classNames: string[];
  training?: TrainingRecord;
  /** Optimizer state (`Optimizer.stateDict()`); slots are stored as tensors `optimizer.<slot>.<parameter>`. */
  optimizer?: OptimizerState;
  /**
   * Trainer state (the `TrainerState` fit reports), to resume training exactly. Its Float32Arrays
   * are stored as tensors `trainer.*` (or share the `optimizer.*` tensor when it is the same array).
   */
  trainer?: TrainerState;
}

/** Checkpoint contents as raw tensors: the architecture and its parameters by state_dict name. */
export interface CheckpointContents extends CheckpointExtras {
  spec: ModelSpec;
  /** Parameters by PyTorch state_dict name ('0.weight' [out, in], '0.bias' [out], …). */
  tensors: ReadonlyMap<string, Float32TensorLike>;
}

/** Anything with a spec and a state dict, e.g. core's `Sequential`. */
export interface ModelLike {
  readonly spec: ModelSpec;
  stateDict(): Map<string, Tensor>;
}

/** What `encodeCheckpoint` accepts: raw contents, or a model plus extras. */
export type CheckpointInput = CheckpointContents | (CheckpointExtras & { model: ModelLike });

/** A decoded checkpoint, already migrated to the current format version. */
export interface DecodedCheckpoint extends CheckpointContents {
  tensors: Map<string, Float32TensorLike>;
  /** The version the file was written with (before migration). */
  formatVersion: number;
  /** The library version that wrote the file. */
  libraryVersion: string;
}

import type { RawTensor } from './dtypes.js';
import type { CheckpointModelSpec } from './model-spec-schema.js';
import type { TrainingRecord } from './training-record.js';

/** The format name stored in `__metadata__.format`. */
export const FORMAT_NAME = 'scratchnet';

/** The format version this library writes. Readers accept this and every older version. */
export const FORMAT_VERSION = 1;

/** Version of this library, recorded in every checkpoint it writes. */
export const LIBRARY_VERSION = '0.1.0';

/** What goes into a checkpoint: the architecture, its parameters as F32 tensors, and how it was made. */
export interface CheckpointContents {
  spec: CheckpointModelSpec;
  /** Parameters by PyTorch state_dict name ('0.weight' [out, in], '0.bias' [out], …). */
  tensors: Map<string, { shape: readonly number[]; data: Float32Array }>;
  /** Class names, index = class id. */
  classNames: string[];
  training?: TrainingRecord;
}

/** A decoded checkpoint, already migrated to the current format version. */
export interface DecodedCheckpoint extends CheckpointContents {
  /** The version the file was written with (before migration). */
  formatVersion: number;
  /** The library version that wrote the file. */
  libraryVersion: string;
}

export type { RawTensor };

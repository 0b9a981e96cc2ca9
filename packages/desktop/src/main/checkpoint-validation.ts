import { decodeCheckpoint } from '@scratchnet/model-format';
import type { CheckpointValidator } from './checkpoint-store.js';

/**
 * A checkpoint is only handed to (or written for) the renderer after a full decode: container,
 * format version, tensor digest, spec and shapes. `decodeCheckpoint` throws a FormatError with
 * a code and a message saying what is wrong, which reaches the renderer through the envelope.
 */
export const validateCheckpoint: CheckpointValidator = (bytes) => {
  decodeCheckpoint(bytes);
};

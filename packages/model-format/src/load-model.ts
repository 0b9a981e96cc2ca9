import { type Backend, type Sequential, Tensor, buildModel } from '@scratchnet/core';
import type { DecodedCheckpoint } from './checkpoint-types.js';
import { type DecodeCheckpointOptions, decodeCheckpoint } from './checkpoint-decode.js';
import { FormatError, FormatErrorCode } from './errors.js';

export interface LoadModelOptions extends DecodeCheckpointOptions {
  /** Backend for the rebuilt model (default: core's current backend). */
  backend?: Backend;
}

/** A decoded checkpoint plus the model rebuilt from it, in eval mode. */
export interface LoadedModel extends DecodedCheckpoint {
  model: Sequential;
}

/**
 * Decodes a checkpoint and rebuilds its model: `buildModel(spec)` then `loadStateDict(tensors)`,
 * so predictions are bit for bit those of the model that was saved.
 *
 * @throws FormatError for any problem with the bytes.
 */
export function loadModel(input: Uint8Array | ArrayBuffer, options: LoadModelOptions = {}): LoadedModel {
  const checkpoint = decodeCheckpoint(input, options);
  return { ...checkpoint, model: modelFromCheckpoint(checkpoint, options.backend) };
}

/** Rebuilds the model of an already decoded checkpoint. */
export function modelFromCheckpoint(checkpoint: DecodedCheckpoint, backend?: Backend): Sequential {
  try {
    const model = buildModel(checkpoint.spec, backend ? { backend } : {});
    const state = new Map([...checkpoint.tensors].map(([name, t]) => [name, new Tensor(t.shape, t.data)]));
    model.loadStateDict(state);
    return model.eval();
  } catch (cause) {
    // decodeCheckpoint already matched spec and tensors, so this means core and the file disagree.
    throw new FormatError(FormatErrorCode.TENSOR_MISMATCH, `the checkpoint's model cannot be rebuilt: ${(cause as Error).message}`, { cause });
  }
}

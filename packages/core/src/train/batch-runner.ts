import type { Dataset } from '../data/dataset.js';
import { ShapeError } from '../errors.js';
import type { LossName } from '../losses/loss.js';
import type { Sequential } from '../model/sequential.js';

/** Buffers for running a model over a dataset in batches, allocated once. */
export interface BatchBuffers {
  readonly batchSize: number;
  readonly x: Float32Array;
  readonly labels: Int32Array;
  readonly dOutput: Float32Array;
}

export function allocateBatchBuffers(model: Sequential, batchSize: number): BatchBuffers {
  model.reserve(batchSize);
  return {
    batchSize,
    x: model.backend.allocate(batchSize * model.inputSize),
    labels: new Int32Array(batchSize),
    dOutput: model.backend.allocate(batchSize * model.outputSize),
  };
}

/** Hands the batch buffers back to the model's backend. */
export function releaseBatchBuffers(model: Sequential, buffers: BatchBuffers): void {
  model.backend.release(buffers.x);
  model.backend.release(buffers.dOutput);
}

/** Throws a ShapeError unless the dataset fits the model's input and output sizes. */
export function checkDatasetFits(model: Sequential, data: Dataset, what: string): void {
  if (data.inputSize !== model.inputSize) {
    throw new ShapeError(what, `examples have ${data.inputSize} features but the model expects [batch, ${model.inputSize}]`);
  }
  const cols = model.outputSize;
  if (!(cols === data.classCount || (cols === 1 && data.classCount <= 2))) {
    throw new ShapeError(
      what,
      `the model outputs [batch, ${cols}] but the dataset has ${data.classCount} classes; make the last layer size ${data.classCount}`,
    );
  }
}

/** Threshold between the two classes of a single-output model: logits for BCE, probabilities otherwise. */
export function binaryThreshold(loss: LossName): number {
  return loss === 'bce' ? 0 : 0.5;
}

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
  /** Raw example bytes, for data sets with `gatherBytes` (a view of `byteStore`), else null. */
  readonly bytes: Uint8Array | null;
  readonly byteStore: Float32Array | null;
}

/** Sizes the model for `batchSize` rows and allocates the batch buffers (the byte stage only if `data` gathers bytes). */
export function allocateBatchBuffers(model: Sequential, batchSize: number, data: Dataset): BatchBuffers {
  model.reserve(batchSize);
  const features = batchSize * model.inputSize;
  // Backend memory is handed out as floats: the byte stage is a byte view of a float block, so
  // it lives where the backend's kernels can read it (WebAssembly memory for the wasm backend).
  const byteStore = data.gatherBytes ? model.backend.allocate(Math.ceil(features / 4)) : null;
  return {
    batchSize,
    x: model.backend.allocate(features),
    labels: new Int32Array(batchSize),
    dOutput: model.backend.allocate(batchSize * model.outputSize),
    bytes: byteStore ? new Uint8Array(byteStore.buffer, byteStore.byteOffset, features) : null,
    byteStore,
  };
}

/** Fills the batch buffers with examples indices[start … start+rows): bytes then one conversion kernel where the data set allows. */
export function gatherBatch(model: Sequential, data: Dataset, indices: ArrayLike<number>, start: number, rows: number, buffers: BatchBuffers): void {
  if (buffers.bytes && data.gatherBytes) {
    data.gatherBytes(indices, start, rows, buffers.bytes, buffers.labels);
    model.backend.bytesToUnit(buffers.bytes, buffers.x, rows * model.inputSize);
  } else {
    data.gather(indices, start, rows, buffers.x, buffers.labels);
  }
}

/** Hands the batch buffers back to the model's backend. */
export function releaseBatchBuffers(model: Sequential, buffers: BatchBuffers): void {
  model.backend.release(buffers.x);
  model.backend.release(buffers.dOutput);
  if (buffers.byteStore) model.backend.release(buffers.byteStore);
}

/** Throws a ShapeError unless the dataset fits the model's input and output sizes. */
export function checkDatasetFits(model: Sequential, data: Dataset, what: string): void {
  if (data.inputSize !== model.inputSize) {
    throw new ShapeError(what, `examples have ${data.inputSize} features but the model expects [batch, ${model.inputShape.join(', ')}]`);
  }
  // A flat model reads any example of the right size; an image model needs the same layout.
  const shape = data.shape;
  if (shape && model.inputShape.length > 1 && (shape.length !== model.inputShape.length || shape.some((d, i) => d !== model.inputShape[i]))) {
    throw new ShapeError(what, `examples are [${shape.join(', ')}] but the model expects [${model.inputShape.join(', ')}]`);
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

import { buildModel, type ModelSpec, type Sequential, Tensor } from '@scratchnet/core';
import type { ModelSnapshot } from './model-snapshot.js';

/**
 * Runs a snapshot on the page's own thread for live predictions: one 784-value row through an
 * MLP is well under a millisecond, so a prediction fits in the frame that drew the stroke,
 * even while the worker is busy training.
 */
export class Predictor {
  private readonly model: Sequential;
  private readonly input: Float32Array;

  constructor(readonly snapshot: ModelSnapshot) {
    this.model = buildModel(withoutInitialisation(snapshot.spec));
    this.model.loadStateDict(new Map(snapshot.tensors.map((t) => [t.name, new Tensor(t.shape, t.data)])));
    this.model.eval();
    this.model.reserve(1);
    this.input = new Float32Array(snapshot.spec.inputSize);
  }

  /** Returns the model's buffers to the backend; the predictor is unusable afterwards. */
  dispose(): void {
    this.model.dispose();
  }

  /** Class probabilities for one image of `inputSize` values in [0, 1]. */
  predict(pixels: Float32Array): Float32Array {
    this.input.set(pixels.subarray(0, this.input.length));
    const logits = this.model.forwardBatch(this.input, 1);
    return softmax(logits.subarray(0, this.model.outputSize), this.snapshot.spec.layers.at(-1)?.type === 'softmax');
  }
}

/** Softmax of one row (or a copy when the model already ends in softmax). */
export function softmax(logits: Float32Array, alreadyProbabilities = false): Float32Array {
  const out = new Float32Array(logits.length);
  if (alreadyProbabilities) {
    out.set(logits);
    return out;
  }
  let max = -Infinity;
  for (const v of logits) if (v > max) max = v;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp(logits[i] - max);
    sum += out[i];
  }
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

/**
 * The spec with every dense layer initialised to zeros: the weights are overwritten right away,
 * and drawing ~2 million random numbers for a large network would stall the page for tens of
 * milliseconds each time a new epoch's weights arrive.
 */
export function withoutInitialisation(spec: ModelSpec): ModelSpec {
  return { ...spec, layers: spec.layers.map((layer) => (layer.type === 'dense' ? { ...layer, init: 'zeros' } : layer)) };
}

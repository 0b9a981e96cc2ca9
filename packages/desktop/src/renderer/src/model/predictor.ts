import { buildModel, type ForwardContext, type ModelSpec, Rng, type Sequential, Tensor } from '@scratchnet/core';
import type { ModelSnapshot } from './model-snapshot.js';

/** What the first convolution makes of one image: its filters and its feature maps. */
export interface FirstConvolution {
  /** Index of the conv2d layer in the model. */
  layer: number;
  /** [outChannels, inChannels, kh, kw] and the weights in that layout. */
  weightShape: readonly number[];
  weights: Float32Array;
  /** [outChannels, height, width] of the feature maps. */
  mapShape: readonly number[];
  /** The convolution's output (with its bias). */
  maps: Float32Array;
  /** The activation right after it ('relu'…) and the maps through it; null when none follows. */
  activation: string | null;
  activated: Float32Array | null;
}

const ACTIVATION_TYPES = new Set(['relu', 'leaky_relu', 'sigmoid', 'tanh', 'selu']);

/**
 * Runs a snapshot on the page's own thread for live predictions: one image through an MLP or a
 * small CNN costs a millisecond or less, so a prediction fits in the frame that drew the stroke,
 * even while the worker is busy training. Any model works whose input shape the caller feeds:
 * the sizes come from the model (`inputShape`), never from the image.
 */
export class Predictor {
  private readonly model: Sequential;
  private readonly input: Float32Array;
  private readonly context: ForwardContext = { training: false, rng: new Rng(0) };

  constructor(readonly snapshot: ModelSnapshot) {
    this.model = buildModel(withoutInitialisation(snapshot.spec));
    this.model.loadStateDict(new Map(snapshot.tensors.map((t) => [t.name, new Tensor(t.shape, t.data)])));
    this.model.eval();
    this.model.reserve(1);
    this.input = new Float32Array(this.model.inputSize);
  }

  /** Shape of one example the model takes: [784], or [1, 28, 28] for a CNN. */
  get inputShape(): readonly number[] {
    return this.model.inputShape;
  }

  /** Returns the model's buffers to the backend; the predictor is unusable afterwards. */
  dispose(): void {
    this.model.dispose();
  }

  /** Class probabilities for one example of `inputSize` values (an image in [0, 1], channels first). */
  predict(pixels: Float32Array): Float32Array {
    this.input.set(pixels.subarray(0, this.input.length));
    const logits = this.model.forwardBatch(this.input, 1);
    return softmax(logits.subarray(0, this.model.outputSize), this.snapshot.spec.layers.at(-1)?.type === 'softmax');
  }

  /** Index of the first conv2d layer, or -1 for a model without one. */
  get firstConvLayer(): number {
    return this.model.layers.findIndex((layer) => layer.spec.type === 'conv2d');
  }

  /**
   * The first convolution's filters and its feature maps for one example (and after the
   * activation that follows it): the layers up to it run one by one, in evaluation mode.
   * Null for a model without a convolution. The arrays are copies.
   */
  firstConvolution(pixels: Float32Array): FirstConvolution | null {
    const index = this.firstConvLayer;
    if (index < 0) return null;
    const layers = this.model.layers;
    this.input.set(pixels.subarray(0, this.input.length));
    let out: Float32Array = this.input;
    for (let i = 0; i <= index; i++) out = layers[i].forward(out, 1, this.context);
    const conv = layers[index];
    const maps = out.slice(0, conv.outputSize);
    const next = layers[index + 1];
    const activation = next && ACTIVATION_TYPES.has(next.spec.type) ? next.spec.type : null;
    const activated = activation ? next.forward(out, 1, this.context).slice(0, next.outputSize) : null;
    const weight = conv.parameters.find((p) => p.name.endsWith('.weight'))!.value;
    return {
      layer: index,
      weightShape: [...weight.shape],
      weights: weight.data.slice(),
      mapShape: [...conv.outputShape],
      maps,
      activation,
      activated,
    };
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
 * The spec with every weighted layer (dense, conv2d) initialised to zeros: the weights are
 * overwritten right away, and drawing ~2 million random numbers for a large network would stall
 * the page for tens of milliseconds each time a new epoch's weights arrive.
 */
export function withoutInitialisation(spec: ModelSpec): ModelSpec {
  return {
    ...spec,
    layers: spec.layers.map((layer) => (layer.type === 'dense' || layer.type === 'conv2d' ? { ...layer, init: 'zeros' } : layer)),
  };
}

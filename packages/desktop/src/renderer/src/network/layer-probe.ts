import { buildModel, type ForwardContext, Rng, type Sequential, summarizeModel, Tensor } from '@scratchnet/core';
import type { ModelSnapshot } from '../model/model-snapshot.js';
import { withoutInitialisation } from '../model/predictor.js';

/** One layer's output for one example. */
export interface LayerOutput {
  index: number;
  type: string;
  /** As PyTorch prints the layer (core's registry). */
  description: string;
  shape: readonly number[];
  values: Float32Array;
}

/**
 * Runs one example through a model layer by layer (evaluation mode) and keeps every layer's
 * output: the activations the Network screen shows. Its own copy of the model, so the Draw
 * screen's predictor is never disturbed; `dispose()` hands the WebAssembly memory back.
 */
export class LayerProbe {
  private readonly model: Sequential;
  private readonly input: Float32Array;
  private readonly context: ForwardContext = { training: false, rng: new Rng(0) };
  private readonly descriptions: string[];

  constructor(readonly snapshot: ModelSnapshot) {
    this.model = buildModel(withoutInitialisation(snapshot.spec));
    this.model.loadStateDict(new Map(snapshot.tensors.map((t) => [t.name, new Tensor(t.shape, t.data)])));
    this.model.eval();
    this.model.reserve(1);
    this.input = new Float32Array(this.model.inputSize);
    this.descriptions = summarizeModel(snapshot.spec).map((l) => l.description);
  }

  get inputSize(): number {
    return this.model.inputSize;
  }

  /** Every layer's output for one example (copies). */
  run(pixels: Float32Array): LayerOutput[] {
    this.input.set(pixels.subarray(0, this.input.length));
    let x: Float32Array = this.input;
    return this.model.layers.map((layer, index) => {
      x = layer.forward(x, 1, this.context);
      return { index, type: layer.spec.type, description: this.descriptions[index], shape: layer.outputShape, values: x.slice(0, layer.outputSize) };
    });
  }

  /** A dense layer's weight [out, in] (the snapshot's own array), or null for other layers. */
  denseWeight(index: number): { outputs: number; inputs: number; data: Float32Array } | null {
    if (this.model.layers[index]?.spec.type !== 'dense') return null;
    const tensor = this.snapshot.tensors.find((t) => t.name === `${index}.weight`);
    return tensor ? { outputs: tensor.shape[0], inputs: tensor.shape[1], data: tensor.data } : null;
  }

  dispose(): void {
    this.model.dispose();
  }
}

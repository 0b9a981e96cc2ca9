import type { Layer } from '../layers/layer.js';
import { type BuildModelOptions, buildModel } from './build-model.js';
import type { Sequential } from './sequential.js';
import { type LayerInit, specFromLayers } from './spec-from-layers.js';

/**
 * Builds a model from layers listed by hand, as torch.nn.Sequential:
 * `sequential(dense(784, 128), relu(), dense(128, 10))`, or with a convolution first
 * `sequential(input(1, 28, 28), conv2d(1, 6, 5, { padding: 2 }), relu(), maxPool2d(2), flatten(), dense(10))`.
 * It goes through the layer registry and `buildModel` like every other model (its `spec` is an
 * ordinary ModelSpec, saved in checkpoints as usual). Built layers given (`new Dense(4, 3)`) keep their weights.
 *
 * @throws ShapeError when a size does not fit the layer before (naming both); ConfigError otherwise.
 */
export function sequential(...layers: LayerInit[]): Sequential {
  return sequentialFrom(layers);
}

/** {@link sequential} with build options (seed, backend): `new Sequential([...], { seed })` calls this. */
export function sequentialFrom(layers: ReadonlyArray<LayerInit>, options: BuildModelOptions = {}): Sequential {
  const { spec, built } = specFromLayers(layers);
  const model = buildModel(spec, options);
  built.forEach((layer, i) => {
    if (layer) copyState(layer, model.layers[i]);
  });
  return model;
}

/** A built layer's weights and buffers into the model's layer at the same place (names differ: the model's carry the index). */
function copyState(from: Layer, to: Layer): void {
  const source = [...from.parameters.map((p) => p.value), ...from.buffers.map((b) => b.value)];
  const target = [...to.parameters.map((p) => p.value), ...to.buffers.map((b) => b.value)];
  for (const [i, t] of target.entries()) t.data.set(source[i].data);
}

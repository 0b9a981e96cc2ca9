import type { Backend } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import { createLayer } from '../layers/create-layer.js';
import type { Layer } from '../layers/layer.js';
import { Rng } from '../random.js';
import { Sequential } from './sequential.js';
import { type ModelSpec, validateModelSpec } from './spec.js';

/** Options of `buildModel`. */
export interface BuildModelOptions {
  /** Seed for the initial weights (default 0): the same seed gives the same weights. */
  seed?: number;
  /** Generator for the initial weights (overrides `seed`). */
  rng?: Rng;
  /** Backend for every kernel (default: `getBackend()`). */
  backend?: Backend;
}

/**
 * Creates a freshly initialised Sequential model from a spec (see `parseArchitecture`). Weights
 * use each Dense layer's `init`, or the default suited to the activation after it.
 *
 * @throws ConfigError INVALID_ARCHITECTURE when the spec is inconsistent (names the layer).
 */
export function buildModel(spec: ModelSpec, options: BuildModelOptions = {}): Sequential {
  validateModelSpec(spec);
  const backend = options.backend ?? getBackend();
  const rng = options.rng ?? new Rng(options.seed ?? 0);
  const copy: ModelSpec = structuredCloneSpec(spec);
  const layers: Layer[] = [];
  let width = copy.inputSize;
  copy.layers.forEach((layerSpec, i) => {
    const layer = createLayer(layerSpec, i, width, backend, rng, copy.layers[i + 1]);
    layers.push(layer);
    width = layer.outputSize;
  });
  return new Sequential(copy, layers, backend, Rng.derive(options.seed ?? 0, 0x64726f70));
}

function structuredCloneSpec(spec: ModelSpec): ModelSpec {
  return { inputSize: spec.inputSize, layers: spec.layers.map((l) => ({ ...l })) };
}

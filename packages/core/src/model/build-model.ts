import type { Backend } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import { createLayer } from '../layers/create-layer.js';
import type { Layer } from '../layers/layer.js';
import { ConfigError, ErrorCode } from '../errors.js';
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
  checkModelSize(spec);
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

/**
 * Parameters one model may have: 2^28 floats are 1 GiB of weights, and training needs about four
 * times that (gradients, Adam's two moments). Far beyond any network this library is for.
 */
export const MAX_PARAMETERS = 2 ** 28;

/** Refuses a spec whose weights could not be allocated, before anything is allocated. */
function checkModelSize(spec: ModelSpec): void {
  let total = 0;
  for (const layer of spec.layers) {
    if (layer.type === 'dense') total += layer.outputSize * layer.inputSize + layer.outputSize;
  }
  if (total > MAX_PARAMETERS) {
    throw new ConfigError(
      ErrorCode.INVALID_ARCHITECTURE,
      `model has ${total.toLocaleString('en-US')} parameters, more than the ${MAX_PARAMETERS.toLocaleString('en-US')} scratchnet supports (${(total * 4 / 2 ** 30).toFixed(1)} GiB of weights alone); use smaller layer sizes`,
    );
  }
}

function structuredCloneSpec(spec: ModelSpec): ModelSpec {
  return { inputSize: spec.inputSize, layers: spec.layers.map((l) => ({ ...l })) };
}

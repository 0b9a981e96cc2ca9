import type { Backend } from '../backend/backend.js';
import { getBackend } from '../backend/index.js';
import { ConfigError, ErrorCode } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import { layerKind } from '../layers/registry.js';
import { Rng } from '../random.js';
import { summarizeModel } from './model-shapes.js';
import { Sequential } from './sequential.js';
import type { ModelSpec } from './spec.js';

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
 * use each layer's `init`, or the default suited to the activation after it.
 *
 * @throws ConfigError INVALID_ARCHITECTURE when the spec is inconsistent (names the layer).
 */
export function buildModel(spec: ModelSpec, options: BuildModelOptions = {}): Sequential {
  const summary = summarizeModel(spec);
  checkModelSize(summary.reduce((sum, layer) => sum + layer.parameterCount, 0));
  const backend = options.backend ?? getBackend();
  const rng = options.rng ?? new Rng(options.seed ?? 0);
  const copy: ModelSpec = JSON.parse(JSON.stringify(spec));
  const layers: Layer[] = copy.layers.map((layerSpec, index) =>
    layerKind(layerSpec, `layer ${index}`).create(layerSpec, { index, inputShape: summary[index].inputShape, backend, rng, next: copy.layers[index + 1] }),
  );
  return new Sequential(copy, layers, backend, Rng.derive(options.seed ?? 0, 0x64726f70));
}

/**
 * Parameters one model may have: 2^28 floats are 1 GiB of weights, and training needs about four
 * times that (gradients, Adam's two moments). Far beyond any network this library is for.
 */
export const MAX_PARAMETERS = 2 ** 28;

/** Refuses a model whose weights could not be allocated, before anything is allocated. */
function checkModelSize(total: number): void {
  if (total > MAX_PARAMETERS) {
    throw new ConfigError(
      ErrorCode.INVALID_ARCHITECTURE,
      `model has ${total.toLocaleString('en-US')} parameters, more than the ${MAX_PARAMETERS.toLocaleString('en-US')} scratchnet supports (${(total * 4 / 2 ** 30).toFixed(1)} GiB of weights alone); use smaller layer sizes`,
    );
  }
}

import {
  type ModelSpec,
  type Shape,
  isLayerArchitecture,
  parseArchitecture,
  shapeSize,
  validateModelSpec,
} from '@scratchnet/core';
import { badFlag } from '../errors/cli-error.js';
import type { TrainSettings } from '../options/train-settings.js';

/**
 * The model a run trains, from its settings: `arch` is an MLP string ('784-128-10', with
 * `activations` and `dropout` applied), the layer-by-layer syntax ('1x28x28-conv(6,5,pad=2)-relu-…',
 * which names its own activations and dropout), or a whole JSON ModelSpec (from --config).
 * An MSE run ends in a sigmoid, as it always has.
 */
export function modelSpecFor(settings: Pick<TrainSettings, 'arch' | 'activations' | 'dropout' | 'loss'>): ModelSpec {
  const arch = settings.arch.trim();
  const output = settings.loss === 'mse' ? 'sigmoid' : 'identity';
  if (arch.startsWith('{')) {
    let spec: ModelSpec;
    try {
      spec = JSON.parse(arch) as ModelSpec;
    } catch (cause) {
      throw badFlag(`arch: not a valid JSON model spec (${(cause as Error).message})`);
    }
    validateModelSpec(spec);
    return spec;
  }
  if (isLayerArchitecture(arch)) {
    // The layered syntax lists activations and dropout itself; a --dropout on top would be ambiguous.
    return parseArchitecture(arch, { output, ...(settings.dropout > 0 ? { dropout: settings.dropout } : {}) });
  }
  return parseArchitecture(arch, { activations: settings.activations, dropout: settings.dropout, output });
}

/** What a data set offers a model: values per example, their layout, and how many classes. */
export interface DataShape {
  name: string;
  inputSize: number;
  shape?: readonly number[];
  classCount: number;
}

/**
 * Refuses a model that cannot read the data set, naming both and what to write instead: the
 * input size (and, for image models, the [channels, height, width] layout) and the class count.
 */
export function checkModelFitsData(spec: ModelSpec, arch: string, data: DataShape): void {
  const out = validateModelSpec(spec);
  const classes = shapeSize(out);
  const layout = (shape: Shape) => shape.join('x');
  const imageModel = (spec.inputShape?.length ?? 1) > 1;
  const shapeMismatch = imageModel && data.shape && layout(data.shape) !== layout(spec.inputShape!);
  if (spec.inputSize !== data.inputSize || shapeMismatch || classes !== data.classCount) {
    const what = `${imageModel && data.shape ? layout(data.shape) : data.inputSize} inputs, ${data.classCount} classes`;
    const suggestion = /^\d+(-\d+)+$/.test(arch.trim())
      ? `; try --arch ${[data.inputSize, ...arch.trim().split('-').slice(1, -1), data.classCount].join('-')}`
      : imageModel
        ? `; the model takes ${layout(spec.inputShape!)} and gives ${classes} outputs: start the architecture with ${data.shape ? layout(data.shape) : data.inputSize} and end it with ${data.classCount}`
        : '';
    throw badFlag(`--arch ${arch.length > 80 ? `${arch.slice(0, 77)}…` : arch} does not fit ${data.name} (${what})${suggestion}`);
  }
}

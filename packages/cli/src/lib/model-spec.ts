import { type ModelSpec, type Shape, modelSpecForRun, shapeSize, validateModelSpec } from '@scratchnet/core';
import { badFlag } from '../errors/cli-error.js';
import type { TrainSettings } from '../options/train-settings.js';

/** The model a run trains, from its settings: core's reading of a run's `arch` (the desktop's too). */
export function modelSpecFor(settings: Pick<TrainSettings, 'arch' | 'activations' | 'dropout' | 'loss'>): ModelSpec {
  return modelSpecForRun(settings);
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

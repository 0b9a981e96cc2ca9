import { formatShape, type ModelSpec, modelInputShape, parseAugmentSpec, parseScheduleText, RUN_LOSSES, type Shape, validateModelSpec } from '@scratchnet/core';
import { IMAGE_SHAPE } from '../data/dataset-catalog.js';
import { specFromConfig } from '../model/spec-from-config.js';
import type { TrainConfig } from '../training/worker-protocol.js';

/**
 * What is wrong with a training configuration typed into the form, one message per problem
 * (empty when it can start). Checked on the page so a typo is explained next to the form
 * instead of failing inside the worker.
 */
export function checkTrainConfig(config: TrainConfig, imageShape: Shape = IMAGE_SHAPE, classCount = 10): string[] {
  const problems: string[] = [];
  try {
    problems.push(...checkModelFits(specFromConfig(config), imageShape, classCount));
  } catch (error) {
    problems.push((error as Error).message);
  }
  problems.push(...checkHyperparameters(config));
  return problems;
}

/**
 * Whether a model (typed in, or the current one to continue from) takes these images and has one
 * output per class. The shapes come from the layer registry (`validateModelSpec`).
 */
export function checkModelFits(spec: ModelSpec, imageShape: Shape = IMAGE_SHAPE, classCount = 10): string[] {
  const problems: string[] = [];
  const input = modelInputShape(spec);
  const pixels = imageShape.reduce((a, b) => a * b, 1);
  if (input.length === 1) {
    if (input[0] !== pixels) problems.push(`Layers must start with ${pixels} (the image has ${pixels} pixels), not ${input[0]}.`);
  } else if (input.length !== imageShape.length || input.some((d, i) => d !== imageShape[i])) {
    problems.push(`Layers must start with ${imageShape.join('x')} (the images are ${formatShape(imageShape)}), not ${input.join('x')}.`);
  }
  const output = validateModelSpec(spec);
  if (output.length !== 1 || output[0] !== classCount) {
    problems.push(`Layers must end with ${classCount} (one output per class), not ${output.length === 1 ? output[0] : formatShape(output)}.`);
  }
  return problems;
}

/** The hyperparameters alone, one message per problem. */
export function checkHyperparameters(config: TrainConfig): string[] {
  const problems: string[] = [];
  if (!(Number.isFinite(config.learningRate) && config.learningRate > 0 && config.learningRate <= 10)) {
    problems.push('Learning rate must be a number above 0 (typically 0.0001 to 0.01).');
  }
  if (!(Number.isInteger(config.batchSize) && config.batchSize >= 1 && config.batchSize <= 4096)) problems.push('Batch size must be a whole number from 1 to 4096.');
  if (!(Number.isInteger(config.epochs) && config.epochs >= 1 && config.epochs <= 1000)) problems.push('Epochs must be a whole number from 1 to 1000.');
  if (!(Number.isFinite(config.dropout) && config.dropout >= 0 && config.dropout < 1)) problems.push('Dropout must be at least 0 and below 1.');
  if (!(Number.isInteger(config.seed) && config.seed >= 0 && config.seed <= 0xffffffff)) problems.push('Seed must be a whole number from 0 to 4294967295.');
  // The settings the form does not show come from a preset or a checkpoint (possibly the CLI's): checked here too.
  if (config.loss !== undefined && !RUN_LOSSES.includes(config.loss)) problems.push(`Loss must be one of ${RUN_LOSSES.join(', ')}, not ${String(config.loss)}.`);
  if (config.schedule !== undefined) {
    try {
      parseScheduleText(config.schedule);
    } catch (error) {
      problems.push(`${(error as Error).message}.`);
    }
  }
  if (config.augment !== undefined) {
    try {
      parseAugmentSpec(config.augment, 'augment');
    } catch (error) {
      problems.push(`${(error as Error).message}.`);
    }
  }
  if (config.valSplit !== undefined && !(config.valSplit > 0 && config.valSplit < 1)) problems.push('The validation fraction must be above 0 and below 1.');
  return problems;
}

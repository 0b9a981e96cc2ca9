import { parseArchitecture } from '@scratchnet/core';
import type { TrainConfig } from '../training/worker-protocol.js';

/**
 * What is wrong with a training configuration typed into the form, one message per problem
 * (empty when it can start). Checked on the page so a typo is explained next to the form
 * instead of failing inside the worker.
 */
export function checkTrainConfig(config: TrainConfig, inputSize = 784, classCount = 10): string[] {
  const problems: string[] = [];
  try {
    const spec = parseArchitecture(config.architecture, { activations: config.activations, dropout: config.dropout > 0 ? config.dropout : undefined });
    const dense = spec.layers.filter((l) => l.type === 'dense');
    const last = dense.at(-1);
    if (spec.inputSize !== inputSize) problems.push(`Layers must start with ${inputSize} (the image has ${inputSize} pixels), not ${spec.inputSize}.`);
    if (last && last.type === 'dense' && last.outputSize !== classCount) problems.push(`Layers must end with ${classCount} (one output per class), not ${last.outputSize}.`);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (!(Number.isFinite(config.learningRate) && config.learningRate > 0 && config.learningRate <= 10)) {
    problems.push('Learning rate must be a number above 0 (typically 0.0001 to 0.01).');
  }
  if (!(Number.isInteger(config.batchSize) && config.batchSize >= 1 && config.batchSize <= 4096)) problems.push('Batch size must be a whole number from 1 to 4096.');
  if (!(Number.isInteger(config.epochs) && config.epochs >= 1 && config.epochs <= 1000)) problems.push('Epochs must be a whole number from 1 to 1000.');
  if (!(Number.isFinite(config.dropout) && config.dropout >= 0 && config.dropout < 1)) problems.push('Dropout must be at least 0 and below 1.');
  if (!(Number.isInteger(config.seed) && config.seed >= 0 && config.seed <= 0xffffffff)) problems.push('Seed must be a whole number from 0 to 4294967295.');
  return problems;
}

import { Rng } from '@scratchnet/core';
import { DatasetError, DatasetErrorCode } from './errors.js';
import type { ImageDataset } from './image-dataset.js';

/** Default validation share: 5,000 of MNIST's 60,000 training images, as one of the seeds used. */
export const DEFAULT_VALIDATION_SPLIT = 1 / 12;

/**
 * How many examples of `total` go to validation: a fraction in [0, 1) or a whole count.
 * Throws INVALID_ARGUMENT for anything else.
 */
export function validationCount(total: number, split: number): number {
  if (Number.isInteger(split) && split >= 0 && split < total) return split;
  if (split >= 0 && split < 1) return Math.round(total * split);
  throw new DatasetError(
    DatasetErrorCode.INVALID_ARGUMENT,
    `validationSplit ${split} must be a fraction in [0, 1) or a whole number of examples below ${total}`,
  );
}

/**
 * Carves a validation set out of a training set: a seeded shuffle picks which examples go
 * where, and both parts keep the original order. The same seed gives the same split.
 */
export function splitTrainValidation(
  train: ImageDataset,
  split: number = DEFAULT_VALIDATION_SPLIT,
  seed = 0,
): { train: ImageDataset; validation: ImageDataset } {
  const k = validationCount(train.size, split);
  // No split: keep the training set as it is rather than copying every image.
  if (k === 0) return { train, validation: train.subset([]) };
  const order = new Int32Array(train.size);
  for (let i = 0; i < order.length; i++) order[i] = i;
  new Rng(seed).shuffle(order);
  const validation = order.slice(0, k).sort();
  const rest = order.slice(k).sort();
  return { train: train.subset(rest), validation: train.subset(validation) };
}

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
 * The one split rule, shared by the CLI and the desktop (which splits plain byte arrays): a
 * seeded shuffle of [0, total) picks `held` examples; both parts are returned in ascending order.
 * The same total, count and seed always give the same split.
 */
export function splitIndices(total: number, held: number, seed: number): { kept: Int32Array; held: Int32Array } {
  const order = new Int32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  new Rng(seed).shuffle(order);
  return { held: order.slice(0, held).sort(), kept: order.slice(held).sort() };
}

/** Seed of the test split of a data set that comes without one (an image folder, a CSV, picked IDX files): fixed, so eval sees the same test set as train. */
export const TEST_SPLIT_SEED = 20_251_122;
/** Share of such a data set held out as its test set. */
export const DEFAULT_TEST_SPLIT = 0.1;

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
  const { kept, held } = splitIndices(train.size, k, seed);
  return { train: train.subset(kept), validation: train.subset(held) };
}

/**
 * A test set for a data set that has none: DEFAULT_TEST_SPLIT of it, picked with the fixed
 * TEST_SPLIT_SEED (never the run's seed), so `train` and a later `eval` agree on it.
 */
export function splitTrainTest(all: ImageDataset, split: number = DEFAULT_TEST_SPLIT): { train: ImageDataset; test: ImageDataset } {
  const { kept, held } = splitIndices(all.size, Math.max(1, validationCount(all.size, split)), TEST_SPLIT_SEED);
  return { train: all.subset(kept), test: all.subset(held) };
}

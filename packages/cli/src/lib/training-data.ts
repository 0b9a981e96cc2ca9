import { type Dataset, trainLimitIndices } from '@scratchnet/core';
import { type ImageDataset, datasetNames, loadDataset, loadOfflineDigits, splitTrainValidation } from '@scratchnet/datasets/node';
import { parseChoice } from '../options/parse-values.js';

/** The offline digits by name: 8,000 train / 2,000 test real MNIST digits shipped with the `mnist` package. */
export const OFFLINE_DIGITS = 'digits';

export interface TrainingData {
  /** What to call the data in messages ('mnist', 'fashion-mnist', 'mnist (offline digits)'). */
  name: string;
  train: ImageDataset;
  validation?: ImageDataset;
  test: ImageDataset;
  classNames: readonly string[];
  inputSize: number;
  /** Stored in the checkpoint's training record, so eval/predict/play can find the same data. */
  record: { name: string; source: string; train: number; validation: number; test: number; dataDir?: string };
}

export interface DataRequest {
  dataset: string;
  dataDir?: string;
  valSplit?: number;
  seed?: number;
  trainLimit?: number;
}

/** Known data set names for --dataset (built-in, SCRATCHNET_DATASETS, and the offline digits). */
export function knownDatasets(): string[] {
  return [...datasetNames(), OFFLINE_DIGITS];
}

/**
 * Loads a data set through @scratchnet/datasets (data dir, cache, system folders, mirrors, or —
 * for mnist with nothing else available — the offline digits, which `onNotice` reports).
 */
export async function loadTrainingData(request: DataRequest, onNotice: (text: string) => void = () => {}): Promise<TrainingData> {
  const dataset = parseChoice('--dataset', request.dataset, knownDatasets());
  let train: ImageDataset;
  let validation: ImageDataset | undefined;
  let test: ImageDataset;
  let name = dataset;
  let source: string;
  let recordName = dataset;
  if (dataset === OFFLINE_DIGITS) {
    ({ train, test } = await loadOfflineDigits());
    if (request.valSplit) {
      ({ train, validation } = splitTrainValidation(train, request.valSplit, request.seed ?? 0));
    }
    source = 'offline-digits';
  } else {
    const loaded = await loadDataset(dataset, {
      dataDir: request.dataDir,
      validationSplit: request.valSplit ?? 0,
      seed: request.seed ?? 0,
      onNotice,
    });
    ({ train, test } = loaded);
    validation = loaded.validation.size > 0 ? loaded.validation : undefined;
    source = loaded.source;
    if (source === 'offline-digits') {
      name = `${dataset} (offline digits)`;
      recordName = OFFLINE_DIGITS;
    }
  }
  // A seeded random subset (kept in order), chosen by core's rule (the desktop's too).
  const kept = trainLimitIndices(train.size, request.trainLimit, request.seed ?? 0);
  if (kept) train = train.subset(kept);
  return {
    name,
    train,
    validation,
    test,
    classNames: train.classNames,
    inputSize: train.inputSize,
    record: {
      name: recordName,
      source,
      train: train.size,
      validation: validation?.size ?? 0,
      test: test.size,
      ...(request.dataDir ? { dataDir: request.dataDir } : {}),
    },
  };
}

/** A whole test set as one Dataset (for eval/predict/play): no validation split needed. */
export async function loadTestData(dataset: string, dataDir: string | undefined, onNotice: (text: string) => void): Promise<{ name: string; test: ImageDataset }> {
  const data = await loadTrainingData({ dataset, dataDir, valSplit: 0 }, onNotice);
  return { name: data.name, test: data.test };
}

export type { Dataset };

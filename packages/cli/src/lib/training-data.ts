import { basename, resolve } from 'node:path';
import { type Dataset, parseImageSizeText, trainLimitIndices } from '@scratchnet/core';
import {
  type ImageDataset,
  archiveDatasetNames,
  datasetNames,
  detectLocalData,
  getArchiveDatasetSpec,
  getDatasetSpec,
  loadDataset,
  loadLocalData,
  loadOfflineDigits,
  splitTrainValidation,
} from '@scratchnet/datasets/node';
import { asFlagError, parseChoice } from '../options/parse-values.js';

/** The offline digits by name: 8,000 train / 2,000 test real MNIST digits shipped as IDX in @scratchnet/datasets. */
export const OFFLINE_DIGITS = 'digits';

export interface TrainingData {
  /** What to call the data in messages ('mnist', 'fashion-mnist', 'mnist (offline digits)', a folder's name). */
  name: string;
  train: ImageDataset;
  validation?: ImageDataset;
  test: ImageDataset;
  classNames: readonly string[];
  inputSize: number;
  /**
   * True for a user's own data (--data-dir that is not a registered data set's files) and for data
   * sets not shaped like MNIST (CIFAR-10): the model's input and output follow the data.
   */
  modelFollowsData: boolean;
  /** Stored in the checkpoint's training record, so eval/predict/play can find the same data. */
  record: {
    name: string;
    source: string;
    train: number;
    validation: number;
    test: number;
    dataDir?: string;
    /** [channels, rows, cols] of one example. */
    shape?: number[];
    imageSize?: string;
    channels?: number;
  };
}

export interface DataRequest {
  dataset: string;
  dataDir?: string;
  valSplit?: number;
  seed?: number;
  trainLimit?: number;
  /** --image-size for image folders: '28' or '32x32'. */
  imageSize?: string;
  /** --channels for image folders: 1 or 3. */
  channels?: number;
  /** Draws load progress (image folders) on stderr; called with files done and in all. */
  onProgress?: (done: number, total: number) => void;
}

/** Known data set names for --dataset (built-in, SCRATCHNET_DATASETS, and the offline digits). */
export function knownDatasets(): string[] {
  return [...datasetNames(), ...archiveDatasetNames(), OFFLINE_DIGITS];
}

/** --image-size: '28' (square) or '32x32' (rows x cols), by core's rule. */
export const parseImageSize = asFlagError(parseImageSizeText);

/**
 * Loads a data set through @scratchnet/datasets: a user's own data when --data-dir points at an
 * image folder, a CSV or IDX files not named as a registered set's (detected); else by name (data
 * dir, cache, system folders, mirrors, or — for mnist with nothing else available — the offline
 * digits, which `onNotice` reports).
 */
export async function loadTrainingData(request: DataRequest, onNotice: (text: string) => void = () => {}): Promise<TrainingData> {
  if (request.dataDir && !(await holdsRegisteredFiles(request.dataDir, request.dataset))) {
    return loadOwnData(request, onNotice);
  }
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
  return finish({ name, train, validation, test, modelFollowsData: getArchiveDatasetSpec(dataset) !== undefined }, request, { name: recordName, source });
}

/** True when the folder holds the four files of the named registered data set by their official names. */
async function holdsRegisteredFiles(dataDir: string, dataset: string): Promise<boolean> {
  if (getArchiveDatasetSpec(dataset)) return true; // CIFAR-10's archive or batches: read by loadDataset
  if (!datasetNames().includes(dataset)) return false;
  const found = await detectLocalData(dataDir).catch(() => undefined);
  if (found?.kind !== 'idx') return false;
  const official = Object.values(getDatasetSpec(dataset).files).map((f) => f.fileName.replace(/\.gz$/, ''));
  const names = Object.values(found.files).map((path) => basename(path).replace(/\.gz$/, ''));
  return official.every((name) => names.includes(name));
}

/** An image folder, a CSV or a folder of IDX files under other names: the user's own data. */
async function loadOwnData(request: DataRequest, onNotice: (text: string) => void): Promise<TrainingData> {
  const dataDir = request.dataDir!;
  const imageSize = request.imageSize === undefined ? undefined : parseImageSize(request.imageSize);
  // Class names for numbered labels: a registered set's when one is named explicitly and fits.
  const fallbackNames = datasetNames().includes(request.dataset) ? getDatasetSpec(request.dataset).classNames : undefined;
  const loaded = await loadLocalData(dataDir, {
    imageSize,
    channels: request.channels as 1 | 3 | undefined,
    classNames: fallbackNames,
    onNotice,
    onProgress: request.onProgress && ((p) => request.onProgress!(p.done, p.total)),
  });
  let { train } = loaded;
  let validation: ImageDataset | undefined;
  if (request.valSplit) ({ train, validation } = splitTrainValidation(train, request.valSplit, request.seed ?? 0));
  const name = basename(resolve(dataDir));
  return finish({ name, train, validation, test: loaded.test, modelFollowsData: true }, request, {
    name,
    source: loaded.kind,
    shape: [...train.shape],
    ...(request.imageSize ? { imageSize: request.imageSize } : {}),
    ...(request.channels ? { channels: request.channels } : {}),
  });
}

function finish(
  data: { name: string; train: ImageDataset; validation?: ImageDataset; test: ImageDataset; modelFollowsData: boolean },
  request: DataRequest,
  record: Omit<TrainingData['record'], 'train' | 'validation' | 'test'>,
): TrainingData {
  let { train } = data;
  // A seeded random subset (kept in order), chosen by core's rule (the desktop's too).
  const kept = trainLimitIndices(train.size, request.trainLimit, request.seed ?? 0);
  if (kept) train = train.subset(kept);
  return {
    ...data,
    train,
    classNames: train.classNames,
    inputSize: train.inputSize,
    record: {
      ...record,
      train: train.size,
      validation: data.validation?.size ?? 0,
      test: data.test.size,
      ...(request.dataDir ? { dataDir: request.dataDir } : {}),
    },
  };
}

/** A whole test set as one Dataset (for eval/predict/play): no validation split needed. */
export async function loadTestData(
  dataset: string,
  dataDir: string | undefined,
  onNotice: (text: string) => void,
  shape: { imageSize?: string; channels?: number } = {},
): Promise<{ name: string; test: ImageDataset }> {
  const data = await loadTrainingData({ dataset, dataDir, valSplit: 0, ...shape }, onNotice);
  return { name: data.name, test: data.test };
}

export type { Dataset };

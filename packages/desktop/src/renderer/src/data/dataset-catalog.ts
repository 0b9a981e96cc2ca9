import { getDatasetSpec, splitIndices, TEST_SPLIT_SEED, validationCount } from '@scratchnet/datasets';
import type { DatasetBytes } from '../../../shared/bridge-api.js';

/**
 * The shape of one example, as ImageDataset gives it ([1, rows, cols]): every data set offered here
 * has 28×28 greyscale images, and a drawing is preprocessed to the same.
 */
export const IMAGE_SHAPE: readonly number[] = [1, 28, 28];

/** Where training data can come from. */
export type DatasetChoice = 'offline-digits' | 'mnist' | 'fashion-mnist' | 'kmnist' | 'files' | 'folder';

export const DIGIT_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

export const DATASET_CHOICES: ReadonlyArray<{ value: DatasetChoice; label: string; classNames: readonly string[] }> = [
  { value: 'offline-digits', label: 'Offline digits (10,000 MNIST digits, built in)', classNames: DIGIT_CLASSES },
  { value: 'mnist', label: 'MNIST (60,000 digits, downloaded once)', classNames: DIGIT_CLASSES },
  { value: 'fashion-mnist', label: 'Fashion-MNIST (60,000 clothes, downloaded once)', classNames: FASHION_CLASSES },
  // Class names from the datasets registry (the CLI's --dataset kmnist), romanised hiragana.
  { value: 'kmnist', label: 'KMNIST (60,000 cursive hiragana, downloaded once)', classNames: getDatasetSpec('kmnist').classNames },
  { value: 'files', label: 'IDX files you pick…', classNames: DIGIT_CLASSES },
  // Class names come from the folder (its subfolders), known once it is picked.
  { value: 'folder', label: 'A folder of images (or a CSV) you pick… (one subfolder per class)', classNames: [] },
];

export function classNamesFor(choice: DatasetChoice): readonly string[] {
  return DATASET_CHOICES.find((c) => c.value === choice)?.classNames ?? DIGIT_CLASSES;
}

/** A train and a test split with their class names. */
export interface LoadedDataset {
  choice: DatasetChoice;
  label: string;
  classNames: readonly string[];
  train: DatasetBytes;
  test: DatasetBytes;
}

/** The CLI's default --seed, so a run with default settings splits the same way in both apps. */
export const DEFAULT_SPLIT_SEED = 1;

/**
 * Splits off `fraction` of a data set as validation with the rule the CLI uses
 * (@scratchnet/datasets' splitIndices: a seeded shuffle, both parts in their original order), so
 * the same data, fraction and seed give the same validation set in both apps.
 */
export function splitValidation(data: DatasetBytes, fraction: number, seed = DEFAULT_SPLIT_SEED): { train: DatasetBytes; validation: DatasetBytes } {
  const { kept, held } = splitIndices(data.count, Math.max(1, validationCount(data.count, fraction)), seed);
  return { train: pick(data, kept, 'train'), validation: pick(data, held, 'validation') };
}

/** A test set for picked files that come without one: the share and fixed seed the CLI uses for such data. */
export function splitTest(data: DatasetBytes, fraction: number): { train: DatasetBytes; test: DatasetBytes } {
  const { kept, held } = splitIndices(data.count, Math.max(1, validationCount(data.count, fraction)), TEST_SPLIT_SEED);
  return { train: pick(data, kept, 'train'), test: pick(data, held, 'test') };
}

/** The given examples, copied (in the given order) into arrays of their own. */
function pick(data: DatasetBytes, indices: Int32Array, suffix: string): DatasetBytes {
  const pixels = data.rows * data.cols;
  const images = new Uint8Array(indices.length * pixels);
  const labels = new Uint8Array(indices.length);
  indices.forEach((example, i) => {
    images.set(data.images.subarray(example * pixels, (example + 1) * pixels), i * pixels);
    labels[i] = data.labels[example];
  });
  return { ...data, source: `${data.source} (${suffix})`, count: indices.length, images, labels };
}

import type { DatasetBytes } from '../../../shared/bridge-api.js';

/**
 * The shape of one example, as ImageDataset gives it ([1, rows, cols]): every data set offered here
 * has 28×28 greyscale images, and a drawing is preprocessed to the same.
 */
export const IMAGE_SHAPE: readonly number[] = [1, 28, 28];

/** Where training data can come from. */
export type DatasetChoice = 'offline-digits' | 'mnist' | 'fashion-mnist' | 'files';

export const DIGIT_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

export const DATASET_CHOICES: ReadonlyArray<{ value: DatasetChoice; label: string; classNames: readonly string[] }> = [
  { value: 'offline-digits', label: 'Offline digits (4,000 MNIST digits, built in)', classNames: DIGIT_CLASSES },
  { value: 'mnist', label: 'MNIST (60,000 digits, downloaded once)', classNames: DIGIT_CLASSES },
  { value: 'fashion-mnist', label: 'Fashion-MNIST (60,000 clothes, downloaded once)', classNames: FASHION_CLASSES },
  { value: 'files', label: 'IDX files you pick…', classNames: DIGIT_CLASSES },
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

/**
 * Splits off the last `fraction` of a data set as validation (MNIST-style files are already
 * shuffled, so the tail is a fair sample). Views, no copies.
 */
export function splitValidation(data: DatasetBytes, fraction: number): { train: DatasetBytes; validation: DatasetBytes } {
  const pixels = data.rows * data.cols;
  const validationCount = Math.max(1, Math.round(data.count * fraction));
  const trainCount = data.count - validationCount;
  const part = (from: number, n: number, suffix: string): DatasetBytes => ({
    ...data,
    source: `${data.source} (${suffix})`,
    count: n,
    images: data.images.subarray(from * pixels, (from + n) * pixels),
    labels: data.labels.subarray(from, from + n),
  });
  return { train: part(0, trainCount, 'train'), validation: part(trainCount, validationCount, 'validation') };
}

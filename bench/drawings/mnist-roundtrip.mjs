#!/usr/bin/env node
// Real handwriting through the preprocessing: the 2,000 offline MNIST test digits, each enlarged
// ×5–10 (bilinear) and placed at a random spot on a 280×280 canvas, then brought back to 28×28 by
// preprocessDigit and classified. If the preprocessing reproduces MNIST's recipe, a model reads
// them as well as the 28×28 originals; every point lost is the preprocessing's.
//
//   node bench/drawings/mnist-roundtrip.mjs [checkpoint ...]
//
// Default checkpoints: the models `pnpm drawings:eval` trained (bench/drawings/.cache/models/).
// Needs the packages built (`npx -y pnpm@10 build`).
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng, Tensor, predict, useFastestBackend } from '@scratchnet/core';
import { mnistPreprocessOptions, preprocessDigit } from '@scratchnet/datasets';
import { loadDataset } from '@scratchnet/datasets/node';
import { loadModelFile } from '@scratchnet/model-format/node';

const here = dirname(fileURLToPath(import.meta.url));
const models = process.argv.slice(2).length
  ? process.argv.slice(2).map((p) => resolve(p))
  : ['digits-cnn', 'default', 'lenet5'].map((n) => join(here, '.cache/models', `${n}.safetensors`)).filter(existsSync);
if (models.length === 0) throw new Error('no checkpoints: run `npx -y pnpm@10 drawings:eval` first, or name them');

await useFastestBackend();
const { test } = await loadDataset('mnist', { validationSplit: 0.1, seed: 1, offline: true });
const CANVAS = 280;
const rng = new Rng(5);

/** The digit enlarged k times with bilinear interpolation at (ox, oy) on a blank canvas. */
function redraw(pixels, k, ox, oy) {
  const out = new Uint8Array(CANVAS * CANVAS);
  const at = (x, y) => (x < 0 || y < 0 || x > 27 || y > 27 ? 0 : pixels[y * 28 + x]);
  for (let y = 0; y < CANVAS; y++) {
    for (let x = 0; x < CANVAS; x++) {
      const sx = (x + 0.5 - ox) / k - 0.5;
      const sy = (y + 0.5 - oy) / k - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      out[y * CANVAS + x] = Math.round(
        at(x0, y0) * (1 - fx) * (1 - fy) + at(x0 + 1, y0) * fx * (1 - fy) + at(x0, y0 + 1) * (1 - fx) * fy + at(x0 + 1, y0 + 1) * fx * fy,
      );
    }
  }
  return { width: CANVAS, height: CANVAS, data: out, channels: 1 };
}

const originals = [];
const canvases = [];
for (let i = 0; i < test.size; i++) {
  const { pixels, label } = test.image(i);
  const k = 5 + 5 * rng.uniform();
  originals.push({ pixels: Float32Array.from(pixels, (b) => b / 255), label });
  canvases.push({ image: redraw(pixels, k, rng.uniform() * (CANVAS - 28 * k), rng.uniform() * (CANVAS - 28 * k)), label });
}

function accuracy(model, inputs) {
  const x = new Tensor([inputs.length, ...model.inputShape]);
  inputs.forEach((input, i) => x.data.set(input.pixels, i * model.inputSize));
  const p = predict(model, x).data;
  const classes = model.outputSize;
  let right = 0;
  inputs.forEach((input, i) => {
    const row = p.subarray(i * classes, (i + 1) * classes);
    if (row.indexOf(Math.max(...row)) === input.label) right++;
  });
  return `${((100 * right) / inputs.length).toFixed(2)} %`;
}

const variants = {
  'MNIST recipe only': { ...mnistPreprocessOptions(), strokeWidthRange: null },
  'with the stroke-width step (default)': mnistPreprocessOptions(),
};
console.log(`| model | 28×28 originals | ${Object.keys(variants).join(' | ')} |`);
console.log(`|---|---:|${Object.keys(variants).map(() => '---:').join('|')}|`);
for (const path of models) {
  const { model } = await loadModelFile(path);
  const cells = [accuracy(model, originals)];
  for (const options of Object.values(variants)) {
    cells.push(accuracy(model, canvases.map((c) => ({ pixels: preprocessDigit(c.image, options), label: c.label }))));
  }
  console.log(`| ${basename(path, '.safetensors')} | ${cells.join(' | ')} |`);
}

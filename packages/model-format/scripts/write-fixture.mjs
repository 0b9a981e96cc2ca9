// Writes test/fixtures/checkpoint-v<FORMAT_VERSION>.safetensors with the library as built in dist/.
// Run once per new format version (`pnpm build && node scripts/write-fixture.mjs`), then commit the
// file: fixtures of released versions are never rewritten, they prove old files still load.
import { existsSync, writeFileSync } from 'node:fs';
import { FORMAT_VERSION, encodeCheckpoint } from '../dist/index.js';

const target = new URL(`../test/fixtures/checkpoint-v${FORMAT_VERSION}.safetensors`, import.meta.url);
if (existsSync(target)) {
  console.error(`${target.pathname} exists; fixtures of a released version are never rewritten`);
  process.exit(1);
}
// Deterministic weights that exercise sign, magnitude and non-trivial float32 bit patterns.
const values = (n, phase) => Float32Array.from({ length: n }, (_, i) => Math.sin(phase + i * 1.7) * 0.9);
const contents = {
  spec: {
    inputSize: 4,
    layers: [
      { type: 'dense', inputSize: 4, outputSize: 3 },
      { type: 'relu' },
      { type: 'dense', inputSize: 3, outputSize: 2 },
      { type: 'softmax' },
    ],
  },
  tensors: new Map([
    ['0.weight', { shape: [3, 4], data: values(12, 0.1) }],
    ['0.bias', { shape: [3], data: values(3, 0.2) }],
    ['2.weight', { shape: [2, 3], data: values(6, 0.3) }],
    ['2.bias', { shape: [2], data: values(2, 0.4) }],
  ]),
  classNames: ['cat', 'dog'],
  training: FIXTURE_TRAINING(),
};
if (FORMAT_VERSION >= 2) {
  // Adam state after 3 steps, and a trainer state with an RNG word vector and a NaN spare normal.
  contents.optimizer = {
    type: 'adam',
    step: 3,
    learningRate: 0.01,
    slots: Object.fromEntries(
      [...contents.tensors].flatMap(([name, t], k) => [
        [`m/${name}`, values(t.data.length, 1 + k)],
        [`v/${name}`, values(t.data.length, 2 + k).map(Math.abs)],
      ]),
    ),
  };
  // A TrainerState stopped mid-epoch with early stopping keeping best weights; its optimizer is the
  // same object as above, so the file stores those slots once.
  contents.trainer = {
    version: 1,
    seed: 42,
    batchSize: 16,
    datasetSize: 64,
    epoch: 3,
    batch: 2,
    globalStep: 14,
    rng: [123456789, 362436069, 521288629, 88675123, Number.NaN],
    optimizer: contents.optimizer,
    history: { epochs: contents.training.history.map((e) => ({ ...e, learningRate: 0.01 })), stoppedEarly: false },
    epochTotals: { lossSum: 7.5, correct: 29, seen: 32 },
    earlyStopping: {
      monitor: 'loss',
      best: 0.25,
      bestEpoch: 2,
      wait: 0,
      bestWeights: Object.fromEntries([...contents.tensors].map(([name, t]) => [name, t.data.map((x) => x * 0.5)])),
    },
  };
}
writeFileSync(target, encodeCheckpoint(contents));
console.log(`wrote ${target.pathname}`);

function FIXTURE_TRAINING() {
  const common = {
    dataset: { name: 'toy-xor', examples: 64 },
    hyperparameters:
      FORMAT_VERSION >= 4 ? { optimizer: 'adam', lr: 0.01, batchSize: 16, loss: 'ce' } : { optimizer: { type: 'adam', lr: 0.01 }, batchSize: 16, loss: 'cross_entropy' },
    seed: 42,
    epochs: 3,
    finalMetrics: { loss: 0.25, accuracy: 0.9375 },
  };
  if (FORMAT_VERSION === 1) return { ...common, history: { loss: [0.69, 0.41, 0.25], accuracy: [0.5, 0.8125, 0.9375] } };
  return {
    ...common,
    history: [
      { epoch: 0, loss: 0.69, accuracy: 0.5 },
      { epoch: 1, loss: 0.41, accuracy: 0.8125 },
      { epoch: 2, loss: 0.25, accuracy: 0.9375 },
    ],
  };
}

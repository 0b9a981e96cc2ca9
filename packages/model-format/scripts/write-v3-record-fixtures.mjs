// Writes test/fixtures/record-v3-{cli,desktop,tune}.safetensors: format v3 files whose training
// records have the three layouts written before v4 (the CLI's, the desktop's, tune's), each exactly
// as that writer built it. The weights, optimizer and trainer state are the v3 fixture's (same
// data section, so its SHA-256 still matches). Written once and committed; never rewritten.
import { readFileSync, writeFileSync } from 'node:fs';
import { readSafetensors, writeSafetensors } from '../dist/index.js';

const v3 = readSafetensors(new Uint8Array(readFileSync(new URL('../test/fixtures/checkpoint-v3.safetensors', import.meta.url))));

/** train-session.ts before v4: epochs 1-based, trainLoss/trainAccuracy, the whole settings object (with out). */
const cli = {
  dataset: { name: 'mnist', source: 'cache', train: 54000, validation: 6000, test: 10000 },
  hyperparameters: {
    dataset: 'mnist', arch: '784-16-16-10', activations: 'relu', dropout: 0, optimizer: 'adam', loss: 'ce', lr: 0.001,
    batchSize: 32, epochs: 10, seed: 1, valSplit: 0.1, schedule: 'constant', out: 'model.safetensors', preset: '16-16',
  },
  seed: 1,
  epochs: 3,
  finalMetrics: {},
  history: [
    { epoch: 1, trainLoss: 0.69, trainAccuracy: 0.5, valLoss: 0.6, valAccuracy: 0.7, learningRate: 0.001, seconds: 1.5 },
    { epoch: 2, trainLoss: 0.41, trainAccuracy: 0.8125, valLoss: 0.45, valAccuracy: 0.8, learningRate: 0.001, seconds: 1.25 },
    { epoch: 3, trainLoss: 0.25, trainAccuracy: 0.9375, valLoss: null, valAccuracy: null, learningRate: 0.001, seconds: 1.0 },
  ],
};
/** training-session.ts before v4: epochs 0-based, loss/accuracy, `architecture`, `loss: 'cross_entropy'`, the data set's label. */
const desktop = {
  dataset: { name: 'Offline digits (4,000 MNIST digits, built in)' },
  hyperparameters: { architecture: '784-16-16-10', activations: 'relu', dropout: 0, optimizer: 'adam', lr: 0.003, batchSize: 32, loss: 'cross_entropy' },
  seed: 1,
  epochs: 3,
  history: [
    { epoch: 0, loss: 0.69, accuracy: 0.5, valLoss: 0.6, valAccuracy: 0.7, learningRate: 0.003 },
    { epoch: 1, loss: 0.41, accuracy: 0.8125, valLoss: 0.45, valAccuracy: 0.8, learningRate: 0.003 },
    { epoch: 2, loss: 0.25, accuracy: 0.9375, valLoss: null, valAccuracy: null, learningRate: 0.003 },
  ],
  finalMetrics: { loss: 0.25, accuracy: 0.9375, val_loss: null, val_accuracy: null },
};
/** tune.ts before v4: the best trial's settings (plus its `tune` key) and no history at all. */
const tune = {
  dataset: { name: 'mnist', source: 'cache', train: 54000, validation: 6000, test: 10000 },
  hyperparameters: { dataset: 'mnist', arch: '784-64-10', activations: 'relu', optimizer: 'adam', lr: 0.003, batchSize: 64, epochs: 3, loss: 'ce', seed: 2, valSplit: 0.1, tune: 'h64 relu adam lr0.003 b64' },
  seed: 2,
  epochs: 3,
  finalMetrics: { val_accuracy: 0.95, val_loss: 0.2, test_accuracy: 0.94, test_loss: 0.21 },
  history: [],
};

for (const [name, training] of Object.entries({ cli, desktop, tune })) {
  const target = new URL(`../test/fixtures/record-v3-${name}.safetensors`, import.meta.url);
  writeFileSync(target, writeSafetensors([...v3.tensors], { ...v3.metadata, training: JSON.stringify(training) }));
  console.log(`wrote ${target.pathname}`);
}

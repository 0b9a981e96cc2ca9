// Cost of training-time augmentation as a share of an epoch (issue 13, section 2).
// node bench/src/augment-cost.mjs [epochs-per-setting=3]
// For each network: epochs with and without augmentation, interleaved (this machine's speed
// drifts, see notes.md), and the Augmenter alone over one epoch's batches. Share = augmenter
// time / plain epoch time; the difference of whole epochs is printed too but is noisier.
import { Augmenter, CNN_ARCHITECTURES, augmentImageShape, buildModel, fit, parseArchitecture, useFastestBackend } from '@scratchnet/core';
import { loadOfflineDigits } from '@scratchnet/datasets/node';

const rounds = Number(process.argv[2] ?? 3);
const only = process.argv[3]; // one network's name, optional
const backend = await useFastestBackend({ threads: 1 });
const { train } = await loadOfflineDigits();
const batchSize = 64;
const CONFIGS = {
  'rotate=10,shift=2,scale=0.1': { rotate: 10, shift: 2, scale: 0.1 },
  '+shear=10,elastic (34:4)': { rotate: 10, shift: 2, scale: 0.1, shear: 10, elastic: { alpha: 34, sigma: 4 } },
  'digits-cnn preset (rotate=15,shift=2,scale=0.15)': { rotate: 15, shift: 2, scale: 0.15 },
  '+thickness=0.3:1': { rotate: 10, shift: 2, scale: 0.1, thickness: { thin: 0.3, thick: 1 } },
  'all eight': { rotate: 10, shift: 2, scale: 0.1, shear: 10, elastic: { alpha: 34, sigma: 4 }, stroke: 0.3, thickness: { thin: 0.3, thick: 1 }, erase: 0.3 },
};
const NETWORKS = {
  lenet5: parseArchitecture(CNN_ARCHITECTURES.lenet5),
  'digits-cnn': parseArchitecture(CNN_ARCHITECTURES['digits-cnn']),
  'mlp 784-128-64-10': parseArchitecture('784-128-64-10'),
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function epochSeconds(spec, augment) {
  const model = buildModel(spec, { seed: 1 });
  const t = performance.now();
  await fit(model, train, { epochs: 1, batchSize, optimizer: { type: 'adam', lr: 0.001 }, augment, yieldEveryMs: 1e9 });
  return (performance.now() - t) / 1000;
}
function augmenterSeconds(spec, augment) {
  const model = buildModel(spec, { seed: 1 });
  const shape = augmentImageShape(model, train);
  const augmenter = new Augmenter(augment, shape, batchSize, 1);
  const x = new Float32Array(batchSize * model.inputSize);
  const labels = new Int32Array(batchSize);
  const indices = Int32Array.from({ length: train.size }, (_, i) => i);
  let seconds = 0;
  for (let b = 0; b * batchSize < train.size; b++) {
    const rows = Math.min(batchSize, train.size - b * batchSize);
    train.gather(indices, b * batchSize, rows, x, labels);
    const t = performance.now();
    augmenter.apply(x, rows, 0, b);
    seconds += (performance.now() - t) / 1000;
  }
  return seconds;
}

console.log(`backend ${backend.name} (1 thread), ${train.size} digits, batch ${batchSize}, median of ${rounds}`);
for (const [name, spec] of Object.entries(NETWORKS)) {
  if (only && name !== only) continue;
  await epochSeconds(spec, undefined); // warm-up
  const plain = [];
  const withAug = Object.fromEntries(Object.keys(CONFIGS).map((k) => [k, []]));
  const alone = Object.fromEntries(Object.keys(CONFIGS).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    plain.push(await epochSeconds(spec, undefined));
    for (const [k, config] of Object.entries(CONFIGS)) {
      withAug[k].push(await epochSeconds(spec, config));
      alone[k].push(augmenterSeconds(spec, config));
    }
  }
  const p = median(plain);
  console.log(`\n${name}: plain epoch ${p.toFixed(2)} s`);
  for (const k of Object.keys(CONFIGS)) {
    const a = median(alone[k]);
    const e = median(withAug[k]);
    console.log(`  ${k.padEnd(30)} augmenter ${(a * 1000).toFixed(0)} ms = ${((100 * a) / p).toFixed(1)} % of an epoch; epoch with it ${e.toFixed(2)} s (${(((e - p) / p) * 100).toFixed(1)} %)`);
  }
}

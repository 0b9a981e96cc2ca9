// Interleaved A/B of whole CNN training steps in one process: the same preset built twice from
// the same seed, once with core's default (Conv2d.directInputGradient: an im2col layer's input
// gradient as a transposed direct convolution, backend.convInputGradient) and once with
// Conv2d.directInputGradient = false (Wᵀ·dy into the column matrix, then col2im), trained in
// alternating rounds of `batches` steps on the same Fashion-MNIST batches. Prints ms per step,
// best and median over the rounds, and the ratio. Timing-sensitive: run it under the bench lock.
//
//   node src/conv-input-ab.mjs [preset=convnetjs-mnist] [batch=20] [threads=1] [batches=60] [rounds=10]
//
// 2026-11-30, 2 cores, load 0.5-0.7: convnetjs-mnist b20, 2 threads 1.025 vs 1.065 ms/step best
// (1.039×; median 1.088 vs 1.149, 1.057×), 1 thread 1.900 vs 1.999 (1.052×; median 1.048×);
// lenet5 b64 (gated out: its 6→16 layer's output is smaller than its input) the same code both
// ways, 0.98-1.00× (noise).
// digits-cnn b64 (its 12→24 5×5 layer takes the new path; load 1.5): 1 thread 1.023× best, 1.015× median;
// 2 threads 1.028× best, 1.054× median.
import * as core from '@scratchnet/core';
import { ImageDataset } from '@scratchnet/datasets';
import { loadData } from './data.mjs';

const [preset = 'convnetjs-mnist', batchArg = '20', threadsArg = '1', batchesArg = '60', roundsArg = '10'] = process.argv.slice(2);
const batch = Number(batchArg);
const batches = Number(batchesArg);
const rounds = Number(roundsArg);
const { train } = loadData({ trainSize: batch * batches });
const classNames = Array.from({ length: 10 }, (_, i) => String(i));
const dataset = new ImageDataset({ images: train.images, labels: train.labels, rows: 28, cols: 28, classNames });
const backend = await core.createWasmBackend({ threads: Number(threadsArg) });
const spec = core.parseArchitecture(core.CNN_ARCHITECTURES[preset]);

function build(direct) {
  const saved = core.Conv2d.directInputGradient;
  core.Conv2d.directInputGradient = direct;
  const model = core.buildModel(spec, { seed: 0, backend });
  core.Conv2d.directInputGradient = saved;
  const optimizer = core.createOptimizer({ type: 'adam', lr: 1e-3 }, model.parameters(), backend);
  return { model, optimizer, times: [], cpu: [] };
}
const variants = { direct: build(true), im2col: build(false) };
const names = { direct: 'direct', im2col: 'col2im' };
// Wall time per step, and CPU time of the whole process per step (with one thread the less
// load-sensitive of the two: time the process was not running is not counted).
async function round(v) {
  const start = performance.now();
  const cpu = process.cpuUsage();
  await core.fit(v.model, dataset, { epochs: 1, batchSize: batch, optimizer: v.optimizer, seed: 1 });
  const used = process.cpuUsage(cpu);
  v.cpu.push((used.user + used.system) / 1000 / batches);
  return (performance.now() - start) / batches;
}
for (const v of Object.values(variants)) {
  await round(v); // warm-up
  v.cpu.length = 0;
}
for (let r = 0; r < rounds; r++) {
  for (const v of r % 2 ? [variants.im2col, variants.direct] : [variants.direct, variants.im2col]) v.times.push(await round(v));
}
const best = (a) => Math.min(...a);
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`${preset} batch ${batch}, ${backend.threads} thread(s), ${rounds} rounds of ${batches} steps, load ${(await import('node:os')).loadavg()[0].toFixed(2)}`);
for (const [key, v] of Object.entries(variants)) {
  console.log(`  ${names[key].padEnd(7)} wall best ${best(v.times).toFixed(3)} ms/step, median ${median(v.times).toFixed(3)}; CPU best ${best(v.cpu).toFixed(3)}, median ${median(v.cpu).toFixed(3)}`);
}
const ratio = (key, f) => (f(variants.im2col[key]) / f(variants.direct[key])).toFixed(3);
console.log(`  ${names.direct} / ${names.im2col} speed: wall best ${ratio('times', best)}×, median ${ratio('times', median)}×; CPU best ${ratio('cpu', best)}×, median ${ratio('cpu', median)}×`);
backend.dispose();

// Interleaved A/B of whole CNN training steps in one process: the same preset built twice from
// the same seed, once with Winograd F(2×2, 3×3) for its 3×3 stride-1 layers of ≥ 8 channels
// (core's default) and once without (Conv2d.winograd = false: those layers through im2col and the
// GEMM), trained in alternating rounds of `batches` steps on the same Fashion-MNIST batches.
// Prints ms per step, best and median over the rounds, and the ratio. Timing-sensitive: run it
// under the bench lock.
//
//   node src/winograd-ab.mjs [preset or architecture=cnn-32-64] [batch=64] [threads=1] [batches=40] [rounds=8]
import * as core from '@scratchnet/core';
import { ImageDataset } from '@scratchnet/datasets';
import { loadData } from './data.mjs';

const [preset = 'cnn-32-64', batchArg = '64', threadsArg = '1', batchesArg = '40', roundsArg = '8'] = process.argv.slice(2);
const batch = Number(batchArg);
const batches = Number(batchesArg);
const rounds = Number(roundsArg);
const { train } = loadData({ trainSize: batch * batches });
const classNames = Array.from({ length: 10 }, (_, i) => String(i));
const dataset = new ImageDataset({ images: train.images, labels: train.labels, rows: 28, cols: 28, classNames });
const backend = await core.createWasmBackend({ threads: Number(threadsArg) });
// A preset's name, or an architecture string (e.g. 1x28x28-conv(8,3,pad=1)-relu-conv(8,3,pad=1)-relu-maxpool(2)-flatten-10).
const spec = core.parseArchitecture(core.CNN_ARCHITECTURES[preset] ?? preset);

function build(winograd) {
  const saved = core.Conv2d.winograd;
  core.Conv2d.winograd = winograd;
  const model = core.buildModel(spec, { seed: 0, backend });
  core.Conv2d.winograd = saved;
  const optimizer = core.createOptimizer({ type: 'adam', lr: 1e-3 }, model.parameters(), backend);
  return { model, optimizer, times: [], cpu: [] };
}
const variants = { winograd: build(true), im2col: build(false) };
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
  for (const v of r % 2 ? [variants.im2col, variants.winograd] : [variants.winograd, variants.im2col]) v.times.push(await round(v));
}
const best = (a) => Math.min(...a);
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`${preset} batch ${batch}, ${backend.threads} thread(s), ${rounds} rounds of ${batches} steps, load ${(await import('node:os')).loadavg()[0].toFixed(2)}`);
for (const [name, v] of Object.entries(variants)) {
  console.log(`  ${name.padEnd(8)} wall best ${best(v.times).toFixed(3)} ms/step, median ${median(v.times).toFixed(3)}; CPU best ${best(v.cpu).toFixed(3)}, median ${median(v.cpu).toFixed(3)}`);
}
const ratio = (key, f) => (f(variants.im2col[key]) / f(variants.winograd[key])).toFixed(3);
console.log(`  winograd / im2col speed: wall best ${ratio('times', best)}×, median ${ratio('times', median)}×; CPU best ${ratio('cpu', best)}×, median ${ratio('cpu', median)}×`);
backend.dispose();

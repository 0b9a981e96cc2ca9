// Interleaved A/B of whole CNN training steps in one process: the same preset built twice from
// the same seed, once with the direct convolution path (core's default) and once without
// (Conv2d.directPatch = 0: every layer through im2col and the GEMM), trained in alternating
// rounds of `batches` steps on the same Fashion-MNIST batches. Prints ms per step, best and
// median over the rounds, and the ratio. Timing-sensitive: run it under the bench lock.
//
//   node src/cnn-step-ab.mjs [preset=lenet5] [batch=64] [threads=1] [batches=60] [rounds=10] [columnBlock]
//
// With a sixth argument the comparison is instead: core's default against im2col blocks of at most
// `columnBlock` floats (Conv2d.columnBlockFloats; a batch is convolved in chunks of images whose
// columns fit), both with the direct path. A sixth argument `splits:name=0|1,…` compares core's
// default thread splits against the default with those changed (setThreadSplits: directConv,
// pooling, elementwise), e.g. `splits:directConv=0,pooling=0`; same model, same bits, speed only.
import * as core from '@scratchnet/core';
import { ImageDataset } from '@scratchnet/datasets';
import { loadData } from './data.mjs';

const [preset = 'lenet5', batchArg = '64', threadsArg = '1', batchesArg = '60', roundsArg = '10', columnBlock] = process.argv.slice(2);
const batch = Number(batchArg);
const batches = Number(batchesArg);
const rounds = Number(roundsArg);
const { train } = loadData({ trainSize: batch * batches });
const classNames = Array.from({ length: 10 }, (_, i) => String(i));
const dataset = new ImageDataset({ images: train.images, labels: train.labels, rows: 28, cols: 28, classNames });
const backend = await core.createWasmBackend({ threads: Number(threadsArg) });
const spec = core.parseArchitecture(core.CNN_ARCHITECTURES[preset]);

const splitsMode = columnBlock?.startsWith('splits:');
const defaults = core.setThreadSplits({});
const changed = splitsMode
  ? Object.fromEntries(columnBlock.slice(7).split(',').map((kv) => [kv.split('=')[0], kv.split('=')[1] === '1']))
  : {};
function build(direct) {
  const saved = [core.Conv2d.directPatch, core.Conv2d.columnBlockFloats];
  if (splitsMode) {
    // Both variants take the default path; only the thread splits differ (set per round).
  } else if (!direct && columnBlock) core.Conv2d.columnBlockFloats = Number(columnBlock);
  else if (!direct) core.Conv2d.directPatch = 0;
  const model = core.buildModel(spec, { seed: 0, backend });
  [core.Conv2d.directPatch, core.Conv2d.columnBlockFloats] = saved;
  const optimizer = core.createOptimizer({ type: 'adam', lr: 1e-3 }, model.parameters(), backend);
  return { model, optimizer, times: [], cpu: [], splits: direct ? defaults : { ...defaults, ...changed } };
}
const variants = { direct: build(true), im2col: build(false) };
const names = splitsMode ? { direct: 'default', im2col: columnBlock.slice(7) } : { direct: 'direct', im2col: 'im2col' };
// Wall time per step, and CPU time of the whole process per step (with one thread the less
// load-sensitive of the two: time the process was not running is not counted).
async function round(v) {
  core.setThreadSplits(v.splits);
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

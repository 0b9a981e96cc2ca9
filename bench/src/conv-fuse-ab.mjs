// Interleaved A/B of whole CNN training steps between two builds of @scratchnet/core in one
// process: "base" is a saved copy of core's dist (BASE_CORE, the path of its index.js) and "new"
// the workspace's build. Each gets its own wasm backend (and thread pool: the idle one's workers
// sleep); the same preset is built from the same seed in both and trained in alternating rounds
// of `batches` steps on the same Fashion-MNIST batches. Prints ms per step (best and median over
// the rounds) and the speed ratio new/base. Timing-sensitive: run it under the bench lock.
//
//   BASE_CORE=/tmp/base/dist/index.js [NEW_CORE=…/index.js] node src/conv-fuse-ab.mjs [preset or architecture (784-16-16-10)=lenet5] [batch=64] [threads=2] [batches=60] [rounds=10]
//
// Making a base: build core at the commit to compare against and copy packages/core/dist away.
// With ONLY=base or ONLY=new a process builds and times that variant alone (one backend, one
// pool): alternate such processes (base, new, base, new, …) to compare 2-thread runs of small
// kernels without two pools' workers sharing the 2 cores.
import { ImageDataset } from '@scratchnet/datasets';
import { loadData } from './data.mjs';

const [preset = 'lenet5', batchArg = '64', threadsArg = '2', batchesArg = '60', roundsArg = '10'] = process.argv.slice(2);
if (!process.env.BASE_CORE) throw new Error('set BASE_CORE to the index.js of a saved core dist');
const base = await import(process.env.BASE_CORE);
// NEW_CORE (optional): another saved dist in place of the workspace's build (e.g. a trial merge).
const fresh = await import(process.env.NEW_CORE ?? '@scratchnet/core');
const batch = Number(batchArg);
const batches = Number(batchesArg);
const rounds = Number(roundsArg);
const { train } = loadData({ trainSize: batch * batches });
const classNames = Array.from({ length: 10 }, (_, i) => String(i));
const dataset = new ImageDataset({ images: train.images, labels: train.labels, rows: 28, cols: 28, classNames });

async function build(core) {
  const backend = await core.createWasmBackend({ threads: Number(threadsArg) });
  const model = core.buildModel(core.parseArchitecture(core.CNN_ARCHITECTURES[preset] ?? preset), { seed: 0, backend });
  const optimizer = core.createOptimizer({ type: 'adam', lr: 1e-3 }, model.parameters(), backend);
  return { core, backend, model, optimizer, times: [], losses: [] };
}
const only = process.env.ONLY;
const variants = only ? { [only]: await build(only === 'base' ? base : fresh) } : { base: await build(base), new: await build(fresh) };
async function round(v) {
  const start = performance.now();
  const result = await v.core.fit(v.model, dataset, { epochs: 1, batchSize: batch, optimizer: v.optimizer, seed: 1 });
  v.losses.push(result.epochs.at(-1).loss);
  return (performance.now() - start) / batches;
}
for (const v of Object.values(variants)) await round(v); // warm-up
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? [variants.new, variants.base] : [variants.base, variants.new];
  for (const v of order.filter(Boolean)) v.times.push(await round(v));
}
const best = (a) => Math.min(...a);
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`${preset} batch ${batch}, ${threadsArg} thread(s), ${rounds} rounds of ${batches} steps, load ${(await import('node:os')).loadavg()[0].toFixed(2)}`);
for (const [name, v] of Object.entries(variants)) {
  console.log(`  ${name.padEnd(4)} best ${best(v.times).toFixed(3)} ms/step, median ${median(v.times).toFixed(3)}; last loss ${v.losses.at(-1)}`);
}
const ratio = (f) => (f(variants.base.times) / f(variants.new.times)).toFixed(3);
if (!only) console.log(`  new / base speed: best ${ratio(best)}×, median ${ratio(median)}×`);
for (const v of Object.values(variants)) v.backend.dispose();

// Where a CNN training step's time goes: wraps every backend kernel (by core's KERNEL_NAMES) with a
// timer, trains a preset for a fixed number of batches on Fashion-MNIST (or the synthetic set), and
// prints the time per batch of each kernel and shape, slowest first, beside the untimed step time.
//
//   node src/cnn-kernel-profile.mjs [preset=lenet5] [batch=64] [threads=1] [batches=150] [direct=1]
// (direct=0: every conv layer through im2col and the GEMM, Conv2d.directPatch = 0)
// A sixth argument `splits:name=0|1,…` changes core's thread splits (setThreadSplits), e.g.
// `splits:directConv=0`. CHUNK_FLOATS=n in the environment sets Conv2d.winogradChunkFloats, WINOGRAD=0 turns Winograd off.
import * as core from '@scratchnet/core';
import { ImageDataset } from '@scratchnet/datasets';
import { loadData } from './data.mjs';

const [preset = 'lenet5', batchArg = '64', threadsArg = '1', batchesArg = '150', directArg = '1', splitsArg] = process.argv.slice(2);
if (splitsArg?.startsWith('splits:')) {
  core.setThreadSplits(Object.fromEntries(splitsArg.slice(7).split(',').map((kv) => [kv.split('=')[0], kv.split('=')[1] === '1'])));
}
if (directArg === '0') core.Conv2d.directPatch = 0;
// CHUNK_FLOATS=n: Conv2d.winogradChunkFloats for the layers built here.
if (process.env.CHUNK_FLOATS) core.Conv2d.winogradChunkFloats = Number(process.env.CHUNK_FLOATS);
// WINOGRAD=0: no Winograd layers (im2col or direct instead).
if (process.env.WINOGRAD === '0') core.Conv2d.winograd = false;
const batch = Number(batchArg);
const batches = Number(batchesArg);
const { train } = loadData({ trainSize: batch * batches });
const backend = await core.createWasmBackend({ threads: Number(threadsArg) });
const spec = core.parseArchitecture(core.CNN_ARCHITECTURES[preset]);
const model = core.buildModel(spec, { seed: 0, backend });
const optimizer = core.createOptimizer({ type: 'adam', lr: 1e-3 }, model.parameters(), backend);
const classNames = Array.from({ length: 10 }, (_, i) => String(i));
const dataset = new ImageDataset({ images: train.images, labels: train.labels, rows: 28, cols: 28, classNames });

const describe = (name, args) => {
  const dims = args.filter((a) => typeof a === 'number' || typeof a === 'boolean').map((a) => (typeof a === 'boolean' ? (a ? 'T' : 'N') : a));
  const geometry = args.find((a) => a && typeof a === 'object' && 'kernelH' in a);
  if (geometry) return `${name} ${geometry.batch}x${geometry.channels}x${geometry.height}x${geometry.width} k${geometry.kernelH}`;
  if (name === 'gemm') return `gemm ${dims[0]}${dims[1]} ${dims[2]}x${dims[3]}x${dims[4]}`;
  // Optimizer steps: the size only (the step number would make a key per call).
  if (name.endsWith('Update')) return `${name} ${dims[0]}`;
  return `${name} ${dims.join(',')}`;
};

const times = new Map();
let timing = false;
for (const name of core.KERNEL_NAMES) {
  const original = backend[name].bind(backend);
  backend[name] = (...args) => {
    if (!timing) return original(...args);
    const t = performance.now();
    const result = original(...args);
    const key = describe(name, args);
    times.set(key, (times.get(key) ?? 0) + performance.now() - t);
    return result;
  };
}

async function run(timed) {
  timing = timed;
  const start = performance.now();
  await core.fit(model, dataset, { epochs: 1, batchSize: batch, optimizer, seed: 1 });
  return (performance.now() - start) / batches;
}

await run(false); // warm-up
const plain = [];
for (let r = 0; r < 3; r++) plain.push(await run(false));
times.clear();
const timed = await run(true);
const rows = [...times].sort((a, b) => b[1] - a[1]);
const kernelTotal = rows.reduce((s, [, t]) => s + t, 0) / batches;
console.log(`${preset} batch ${batch}, ${backend.threads} thread(s), ${backend.variant.relaxedSimd ? 'relaxed SIMD' : 'SIMD'}`);
console.log(`step ${Math.min(...plain).toFixed(3)} ms untimed (best of 3), ${timed.toFixed(3)} ms timed; kernels ${kernelTotal.toFixed(3)} ms`);
for (const [key, t] of rows) console.log(`${(t / batches).toFixed(3).padStart(8)} ms  ${key}`);
backend.dispose();

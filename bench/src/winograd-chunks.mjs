// Interleaved A/B of Winograd chunk sizes (Conv2d.winogradChunkFloats: 2^20, 2^21, 2^30 = one chunk
// per batch) on whole training steps of one preset. Timing-sensitive: run it under the bench lock.
//
//   node src/winograd-chunks.mjs [preset=cnn-32-64] [batch=64] [threads=2] [batches=40] [rounds=6]
import * as core from '@scratchnet/core';
import { ImageDataset } from '@scratchnet/datasets';
import { loadData } from './data.mjs';
const [preset = 'cnn-32-64', batchArg = '64', threadsArg = '2', batchesArg = '40', roundsArg = '6'] = process.argv.slice(2);
const batch = Number(batchArg), batches = Number(batchesArg), rounds = Number(roundsArg);
const { train } = loadData({ trainSize: batch * batches });
const dataset = new ImageDataset({ images: train.images, labels: train.labels, rows: 28, cols: 28, classNames: Array.from({ length: 10 }, (_, i) => String(i)) });
const backend = await core.createWasmBackend({ threads: Number(threadsArg) });
const spec = core.parseArchitecture(core.CNN_ARCHITECTURES[preset]);
const build = (floats) => { const s = core.Conv2d.winogradChunkFloats; core.Conv2d.winogradChunkFloats = floats; const model = core.buildModel(spec, { seed: 0, backend }); core.Conv2d.winogradChunkFloats = s; return { floats, model, optimizer: core.createOptimizer({ type: 'adam', lr: 1e-3 }, model.parameters(), backend), times: [] }; };
const variants = [build(1 << 20), build(1 << 21), build(1 << 30)];
const round = async (v) => { const t = performance.now(); await core.fit(v.model, dataset, { epochs: 1, batchSize: batch, optimizer: v.optimizer, seed: 1 }); return (performance.now() - t) / batches; };
for (const v of variants) await round(v);
for (let r = 0; r < rounds; r++) for (const v of r % 2 ? [...variants].reverse() : variants) v.times.push(await round(v));
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`${preset} b${batch} ${backend.threads} threads load ${(await import('node:os')).loadavg()[0].toFixed(2)}`);
for (const v of variants) console.log(`  chunkFloats 2^${Math.log2(v.floats)}: best ${Math.min(...v.times).toFixed(3)} median ${med(v.times).toFixed(3)} ms/step`);
backend.dispose();

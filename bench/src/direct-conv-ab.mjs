// Interleaved A/B of a first conv layer's kernels at a training batch: the im2col path (im2col,
// GEMM, reorder with ReLU; backward: ReLU mask, reorder, channel sums, weight-gradient GEMM)
// against the direct kernels (convForward with ReLU; convWeightGradient with the mask). Same
// inputs, best and median of `reps` calls each, alternating, one thread.
//
//   node src/direct-conv-ab.mjs [reps=200]
import * as core from '@scratchnet/core';

const reps = Number(process.argv[2] ?? 200);
const backend = await core.createWasmBackend({ threads: 1 });
const shapes = [
  { name: 'lenet5 conv1', batch: 64, out: 6, k: 5, pad: 2 },
  { name: 'convnetjs conv1', batch: 20, out: 8, k: 5, pad: 2 },
  { name: 'cnn-32-64 conv1', batch: 64, out: 32, k: 3, pad: 1 },
];
const fill = (buffer, seed) => {
  for (let i = 0; i < buffer.length; i++) buffer[i] = Math.sin(seed + i * 0.37);
  return buffer;
};
const time = (f) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};
const stats = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return `best ${(s[0] * 1000).toFixed(0)} µs, median ${(s[s.length >> 1] * 1000).toFixed(0)} µs`;
};
for (const { name, batch, out, k, pad } of shapes) {
  const g = { batch, channels: 1, height: 28, width: 28, kernelH: k, kernelW: k, strideH: 1, strideW: 1, padH: pad, padW: pad, outH: 28, outW: 28 };
  const positions = 784;
  const patch = k * k;
  const n = batch * out * positions;
  const x = fill(backend.allocate(batch * 784), 1);
  const w = fill(backend.allocate(out * patch), 2);
  const bias = fill(backend.allocate(out), 3);
  const y = backend.allocate(n);
  const dy = fill(backend.allocate(n), 4);
  const columns = backend.allocate(patch * batch * positions);
  const channelMajor = backend.allocate(n);
  const masked = backend.allocate(n);
  const dw = backend.allocate(out * patch);
  const db = backend.allocate(out);
  const oldForward = () => {
    backend.im2col(x, columns, g);
    backend.gemm(false, false, out, batch * positions, patch, w, columns, channelMajor, false);
    backend.channelMajorToBatchActivation('relu', channelMajor, y, bias, batch, out, positions, 0);
  };
  const newForward = () => backend.convForward('relu', x, w, bias, y, out, g, 0);
  const oldBackward = () => {
    backend.activationBackward('relu', y, y, dy, masked, n, 0);
    backend.batchToChannelMajor(masked, channelMajor, batch, out, positions);
    backend.channelSums(masked, db, batch, out, positions, false);
    backend.gemm(false, true, out, patch, batch * positions, channelMajor, columns, dw, false);
  };
  const newBackward = () => backend.convWeightGradient(x, dy, y, dw, db, out, g, false);
  const t = { oldForward: [], newForward: [], oldBackward: [], newBackward: [] };
  for (let r = 0; r < reps; r++) {
    t.oldForward.push(time(oldForward));
    t.oldBackward.push(time(oldBackward));
    t.newForward.push(time(newForward));
    t.newBackward.push(time(newBackward));
  }
  const flops = 2 * n * patch;
  const best = (a) => Math.min(...a);
  console.log(`${name} (batch ${batch}, ${out} channels, ${k}×${k}): ${(flops / 1e6).toFixed(1)} MFLOP each way`);
  console.log(`  forward   im2col path ${stats(t.oldForward)} | direct ${stats(t.newForward)} (${(flops / best(t.newForward) / 1e6).toFixed(1)} GFLOP/s)  → ${(best(t.oldForward) / best(t.newForward)).toFixed(2)}×`);
  console.log(`  backward  im2col path ${stats(t.oldBackward)} | direct ${stats(t.newBackward)} (${(flops / best(t.newBackward) / 1e6).toFixed(1)} GFLOP/s)  → ${(best(t.oldBackward) / best(t.newBackward)).toFixed(2)}×`);
}
backend.dispose();

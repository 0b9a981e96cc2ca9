// Times the convolution / pooling / batch-norm kernels, js vs wasm, on LeNet-5 shapes and on a
// 32/64-channel 3×3 net, at batch 64, and the share im2col + col2im take of a whole conv layer's
// training step (forward and backward GEMMs included). Runs against dist/ (build first:
// `node scripts/build-wasm.mjs && npx tsup`). Not a test: prints a table.
//
//   node scripts/bench-window-kernels.mjs [--threads 2] [--only <substring of a shape name>]
//   node scripts/bench-window-kernels.mjs --compare-threads   (im2col / col2im and the conv step, 1 vs 2 threads)
import { createJsBackend, createWasmBackend } from '../dist/index.js';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : fallback;
};
const threads = Number(option('threads', '1'));
const only = option('only', '');

function geometry(batch, channels, size, kernel, stride, pad) {
  const out = Math.floor((size + 2 * pad - kernel) / stride) + 1;
  return { batch, channels, height: size, width: size, kernelH: kernel, kernelW: kernel, strideH: stride, strideW: stride, padH: pad, padW: pad, outH: out, outW: out };
}

const convs = [
  { name: 'lenet5 conv1 1×28×28 k5 p2', g: geometry(64, 1, 28, 5, 1, 2), outChannels: 6 },
  { name: 'lenet5 conv2 6×14×14 k5', g: geometry(64, 6, 14, 5, 1, 0), outChannels: 16 },
  { name: '3×3 net 32×16×16 k3 p1', g: geometry(64, 32, 16, 3, 1, 1), outChannels: 64 },
  { name: '3×3 net 64×8×8 k3 p1', g: geometry(64, 64, 8, 3, 1, 1), outChannels: 64 },
];
const pools = [
  { name: 'lenet5 pool 6×28×28 2×2', g: geometry(64, 6, 28, 2, 2, 0) },
  { name: 'lenet5 pool 16×10×10 2×2', g: geometry(64, 16, 10, 2, 2, 0) },
  { name: '3×3 net pool 32×32×32 2×2', g: geometry(64, 32, 32, 2, 2, 0) },
  { name: '3×3 net pool 64×16×16 3×3 s2 p1', g: geometry(64, 64, 16, 3, 2, 1) },
];
const norms = [
  { name: 'bn 64×6×28×28', batch: 64, channels: 6, inner: 784 },
  { name: 'bn 64×32×16×16', batch: 64, channels: 32, inner: 256 },
  { name: 'bn 64×64×8×8', batch: 64, channels: 64, inner: 64 },
];

/**
 * Fastest milliseconds per call over a few timed batches of calls (each batch ≥ ~40 ms): on a
 * shared machine the minimum is the least disturbed estimate.
 */
function time(run) {
  run();
  let calls = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) run();
    if (performance.now() - t0 > 40) break;
    calls *= 2;
  }
  const samples = [];
  for (let s = 0; s < 5; s++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) run();
    samples.push((performance.now() - t0) / calls);
  }
  return Math.min(...samples);
}

function fill(buffer, seed) {
  let s = seed;
  for (let i = 0; i < buffer.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    buffer[i] = (s >>> 8) / 16777216 - 0.5;
  }
  return buffer;
}

const sizes = (g) => ({
  input: g.batch * g.channels * g.height * g.width,
  output: g.batch * g.channels * g.outH * g.outW,
  columns: g.channels * g.kernelH * g.kernelW * g.batch * g.outH * g.outW,
});

if (argv.includes('--compare-threads')) {
  // Both backends alive at once, timings interleaved round by round, so load from elsewhere on
  // the machine hits both alike; the best round of each counts.
  const one = await createWasmBackend({ threads: 1 });
  const two = await createWasmBackend({ threads: 2 });
  console.log(`threads: ${one.threads} vs ${two.threads}`);
  for (const { name, g, outChannels } of convs.filter((c) => c.name.includes(only))) {
    const n = sizes(g);
    const positions = g.batch * g.outH * g.outW;
    const depth = g.channels * g.kernelH * g.kernelW;
    const setup = (b) => ({
      x: fill(b.allocate(n.input), 1),
      col: b.allocate(n.columns),
      dx: b.allocate(n.input),
      weight: fill(b.allocate(outChannels * depth), 2),
      out: b.allocate(outChannels * positions),
      dW: b.allocate(outChannels * depth),
    });
    const parts = (b, s) => ({
      im2col: () => b.im2col(s.x, s.col, g),
      col2im: () => b.col2im(s.col, s.dx, g),
      gemms: () => {
        b.gemm(false, false, outChannels, positions, depth, s.weight, s.col, s.out, false);
        b.gemm(false, true, outChannels, depth, positions, s.out, s.col, s.dW, false);
        b.gemm(true, false, depth, positions, outChannels, s.weight, s.out, s.col, false);
      },
    });
    const runs = [parts(one, setup(one)), parts(two, setup(two))];
    const best = runs.map(() => ({ im2col: Infinity, col2im: Infinity, gemms: Infinity }));
    for (let round = 0; round < 4; round++) {
      runs.forEach((r, i) => {
        for (const key of Object.keys(r)) best[i][key] = Math.min(best[i][key], time(r[key]));
      });
    }
    const [a, b] = best;
    const fmt = (v) => v.toFixed(3).padStart(7);
    console.log(
      `${name.padEnd(30)} im2col ${fmt(a.im2col)} → ${fmt(b.im2col)} ms  col2im ${fmt(a.col2im)} → ${fmt(b.col2im)} ms  3 GEMMs ${fmt(a.gemms)} → ${fmt(b.gemms)} ms  ` +
        `im2col+col2im share of the step on 2 threads ${(((b.im2col + b.col2im) / (b.im2col + b.col2im + b.gemms)) * 100).toFixed(0)}%`,
    );
  }
  two.dispose();
  process.exit(0);
}

const js = createJsBackend();
const wasm = await createWasmBackend({ threads });
console.log(`wasm variant ${JSON.stringify(wasm.variant)}, threads ${wasm.threads}`);
const row = (name, kernel, msJs, msWasm, bytes) =>
  console.log(
    `${name.padEnd(34)} ${kernel.padEnd(15)} js ${msJs.toFixed(3).padStart(8)} ms  wasm ${msWasm.toFixed(3).padStart(7)} ms  ×${(msJs / msWasm).toFixed(1).padStart(5)}  wasm ${(bytes / msWasm / 1e6).toFixed(1).padStart(5)} GB/s`,
  );

for (const { name, g, outChannels } of convs.filter((c) => c.name.includes(only))) {
  const n = sizes(g);
  const positions = g.batch * g.outH * g.outW;
  const depth = g.channels * g.kernelH * g.kernelW;
  const on = (b) => ({ x: fill(b.allocate(n.input), 1), col: b.allocate(n.columns), dx: b.allocate(n.input) });
  const a = on(js);
  const w = on(wasm);
  // Bytes: the col buffer written (read) plus the image read (written).
  const bytes = 4 * (n.columns + n.input);
  row(name, 'im2col', time(() => js.im2col(a.x, a.col, g)), time(() => wasm.im2col(w.x, w.col, g)), bytes);
  row(name, 'col2im', time(() => js.col2im(a.col, a.dx, g)), time(() => wasm.col2im(w.col, w.dx, g)), bytes);

  // One conv layer's training step on wasm: forward GEMM, reorder with bias, backward reorder,
  // two backward GEMMs, bias gradient, col2im; the share of im2col + col2im in it.
  const weight = fill(wasm.allocate(outChannels * depth), 2);
  const out = wasm.allocate(outChannels * positions);
  const y = wasm.allocate(outChannels * positions);
  const bias = wasm.allocate(outChannels);
  const dW = wasm.allocate(outChannels * depth);
  const inner = g.outH * g.outW;
  const stepParts = {
    im2col: () => wasm.im2col(w.x, w.col, g),
    gemmForward: () => wasm.gemm(false, false, outChannels, positions, depth, weight, w.col, out, false),
    reorders: () => {
      wasm.channelMajorToBatch(out, y, bias, g.batch, outChannels, inner);
      wasm.batchToChannelMajor(y, out, g.batch, outChannels, inner);
      wasm.channelSums(y, bias, g.batch, outChannels, inner, false);
    },
    gemmWeights: () => wasm.gemm(false, true, outChannels, depth, positions, out, w.col, dW, false),
    gemmColumns: () => wasm.gemm(true, false, depth, positions, outChannels, weight, out, w.col, false),
    col2im: () => wasm.col2im(w.col, w.dx, g),
  };
  const parts = Object.fromEntries(Object.entries(stepParts).map(([k, run]) => [k, time(run)]));
  const total = Object.values(parts).reduce((s, v) => s + v, 0);
  console.log(
    `${''.padEnd(34)} conv step ${total.toFixed(3)} ms: ${Object.entries(parts)
      .map(([k, v]) => `${k} ${v.toFixed(3)}`)
      .join(', ')}; im2col+col2im ${(((parts.im2col + parts.col2im) / total) * 100).toFixed(0)}%`,
  );
}

for (const { name, g } of pools.filter((c) => c.name.includes(only))) {
  const n = sizes(g);
  const on = (b) => {
    const argmaxBlock = b.allocate(n.output);
    return { x: fill(b.allocate(n.input), 3), y: b.allocate(n.output), argmax: new Int32Array(argmaxBlock.buffer, argmaxBlock.byteOffset, n.output), dx: b.allocate(n.input) };
  };
  const a = on(js);
  const w = on(wasm);
  const bytes = 4 * (n.input + 2 * n.output);
  row(name, 'maxPoolFwd', time(() => js.maxPoolForward(a.x, a.y, a.argmax, g)), time(() => wasm.maxPoolForward(w.x, w.y, w.argmax, g)), bytes);
  row(name, 'maxPoolBwd', time(() => js.maxPoolBackward(a.y, a.argmax, a.dx, g)), time(() => wasm.maxPoolBackward(w.y, w.argmax, w.dx, g)), bytes);
  row(name, 'avgPoolFwd', time(() => js.avgPoolForward(a.x, a.y, g)), time(() => wasm.avgPoolForward(w.x, w.y, g)), 4 * (n.input + n.output));
  row(name, 'avgPoolBwd', time(() => js.avgPoolBackward(a.y, a.dx, g)), time(() => wasm.avgPoolBackward(w.y, w.dx, g)), 4 * (n.input + n.output));
}

for (const { name, batch, channels, inner } of norms.filter((c) => c.name.includes(only))) {
  const count = batch * channels * inner;
  const on = (b) => {
    const v = () => b.allocate(channels);
    return { x: fill(b.allocate(count), 4), y: b.allocate(count), xhat: b.allocate(count), dx: b.allocate(count), gamma: v().fill(1), beta: v(), mean: v(), invStd: v(), rm: v(), rv: v().fill(1), dg: v(), db: v() };
  };
  const a = on(js);
  const w = on(wasm);
  const forward = (b, s) => () => b.batchNormForward(s.x, s.y, s.xhat, s.gamma, s.beta, s.mean, s.invStd, s.rm, s.rv, batch, channels, inner, 0.1, 1e-5, true);
  const backward = (b, s) => () => b.batchNormBackward(s.y, s.xhat, s.gamma, s.invStd, s.dx, s.dg, s.db, batch, channels, inner, false, true);
  row(name, 'batchNormFwd', time(forward(js, a)), time(forward(wasm, w)), 4 * count * 4);
  row(name, 'batchNormBwd', time(backward(js, a)), time(backward(wasm, w)), 4 * count * 3);
}
wasm.dispose();

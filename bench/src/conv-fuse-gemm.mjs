// GFLOP/s of the wasm GEMM on the im2col convolution's three products (lenet5's Conv2d(6,16,5) at
// batch 64, convnetjs-mnist's Conv2d(8,16,5,pad=2) at batch 20) and the MLP rows' shapes
// (gemm-bench's layerGemms), timing-sensitive: run it under the bench lock.
//
//   node src/conv-fuse-gemm.mjs [mlp=1]                    1 and 2 threads, this build
//   BASE_CORE=/tmp/base/dist/index.js node src/conv-fuse-gemm.mjs [mlp=1]
//     one thread, a saved build of core against this one, timed in alternation per shape
//     (median of 7 alternations of ~0.1 s each) with the speed ratio new/base
import * as fresh from '@scratchnet/core';
import { layerGemms, measureGemms } from './gemm-bench.mjs';

const conv = (name, outC, patch, cols) => [
  [`${name} fwd W·col`, false, false, outC, cols, patch],
  [`${name} dW dy·colᵀ`, false, true, outC, patch, cols],
  [`${name} dcol Wᵀ·dy`, true, false, patch, cols, outC],
];
const shapes = [...conv('lenet5', 16, 150, 64 * 100), ...conv('convnetjs', 16, 200, 20 * 196)];
if (process.argv[2] !== '0') shapes.push(...layerGemms(128, 784, 256, true), ...layerGemms(128, 256, 128, false), ...layerGemms(1000, 784, 784, false));
const shapeOf = ([, ta, tb, m, n, k]) => `${ta ? 'T' : 'N'}${tb ? 'T' : 'N'} ${m}x${n}x${k}`;

if (!process.env.BASE_CORE) {
  const results = { one: await measureGemms(shapes, 1), two: await measureGemms(shapes, 2) };
  for (let i = 0; i < shapes.length; i++) {
    console.log(`${shapes[i][0].padEnd(28)} ${shapeOf(shapes[i]).padEnd(18)} 1 thread ${results.one[i].gflops.toFixed(1).padStart(6)}  2 threads ${results.two[i].gflops.toFixed(1).padStart(6)} GFLOP/s`);
  }
} else {
  const base = await import(process.env.BASE_CORE);
  const backends = { base: await base.createWasmBackend({ threads: 1 }), new: await fresh.createWasmBackend({ threads: 1 }) };
  const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  console.log(`one thread, load ${(await import('node:os')).loadavg()[0].toFixed(2)}`);
  for (const shape of shapes) {
    const [label, ta, tb, m, n, k] = shape;
    const flops = 2 * m * n * k;
    const reps = Math.max(5, Math.round(3e8 / flops));
    const runs = Object.fromEntries(
      Object.entries(backends).map(([name, backend]) => {
        const [a, b, c] = [m * k, k * n, m * n].map((size) => backend.allocate(size).map((_, i) => ((i * 7) % 13) / 13 - 0.5));
        return [name, { call: () => backend.gemm(ta, tb, m, n, k, a, b, c, false), samples: [] }];
      }),
    );
    for (const r of Object.values(runs)) for (let i = 0; i < 3 * reps; i++) r.call();
    for (let s = 0; s < 7; s++) {
      for (const r of Object.values(runs)) {
        const t = performance.now();
        for (let i = 0; i < reps; i++) r.call();
        r.samples.push(flops / ((performance.now() - t) / 1000 / reps) / 1e9);
      }
    }
    const [gb, gn] = [median(runs.base.samples), median(runs.new.samples)];
    console.log(`${label.padEnd(28)} ${shapeOf(shape).padEnd(18)} base ${gb.toFixed(1).padStart(6)}  new ${gn.toFixed(1).padStart(6)} GFLOP/s  new/base ${(gn / gb).toFixed(3)}×`);
  }
}

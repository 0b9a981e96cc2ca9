// GFLOP/s of the wasm GEMM on the im2col convolution's three products (lenet5's Conv2d(6,16,5) at
// batch 64, convnetjs-mnist's Conv2d(8,16,5,pad=2) at batch 20) and the MLP rows' shapes, on 1 and
// 2 threads: run before and after a GEMM change (timing-sensitive: under the bench lock).
//
//   node src/conv-fuse-gemm.mjs [mlp=1]
import { layerGemms, measureGemms } from './gemm-bench.mjs';

const conv = (name, outC, patch, cols) => [
  [`${name} fwd W·col`, false, false, outC, cols, patch],
  [`${name} dW dy·colᵀ`, false, true, outC, patch, cols],
  [`${name} dcol Wᵀ·dy`, true, false, patch, cols, outC],
];
const shapes = [...conv('lenet5', 16, 150, 64 * 100), ...conv('convnetjs', 16, 200, 20 * 196)];
if (process.argv[2] !== '0') shapes.push(...layerGemms(128, 784, 256, true), ...layerGemms(128, 256, 128, false), ...layerGemms(1000, 784, 784, false));
const results = { one: await measureGemms(shapes, 1), two: await measureGemms(shapes, 2) };
for (let i = 0; i < shapes.length; i++) {
  const { label, m, n, k, transA, transB } = results.one[i];
  const shape = `${transA ? 'T' : 'N'}${transB ? 'T' : 'N'} ${m}x${n}x${k}`;
  console.log(`${label.padEnd(28)} ${shape.padEnd(18)} 1 thread ${results.one[i].gflops.toFixed(1).padStart(6)}  2 threads ${results.two[i].gflops.toFixed(1).padStart(6)} GFLOP/s`);
}

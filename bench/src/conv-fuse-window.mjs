// ms per call of im2col and col2im on the im2col convolution layers of lenet5 (Conv2d(6,16,5) on
// 14×14, batch 64) and convnetjs-mnist (Conv2d(8,16,5,pad=2) on 14×14, batch 20), on 1 and 2
// threads, median of 7 samples (timing-sensitive: under the bench lock).
//
//   node src/conv-fuse-window.mjs
import { createWasmBackend } from '@scratchnet/core';

const layers = [
  ['lenet5', { batch: 64, channels: 6, height: 14, width: 14, kernelH: 5, kernelW: 5, strideH: 1, strideW: 1, padH: 0, padW: 0, outH: 10, outW: 10 }],
  ['convnetjs', { batch: 20, channels: 8, height: 14, width: 14, kernelH: 5, kernelW: 5, strideH: 1, strideW: 1, padH: 2, padW: 2, outH: 14, outW: 14 }],
];
for (const threads of [1, 2]) {
  const backend = await createWasmBackend({ threads });
  for (const [name, g] of layers) {
    const x = backend.allocate(g.batch * g.channels * g.height * g.width);
    const col = backend.allocate(g.channels * g.kernelH * g.kernelW * g.batch * g.outH * g.outW);
    for (let i = 0; i < x.length; i++) x[i] = (i % 13) - 6;
    for (let i = 0; i < col.length; i++) col[i] = (i % 7) - 3;
    const time = (f) => {
      const until = performance.now() + 500;
      while (performance.now() < until) f();
      const samples = [];
      for (let s = 0; s < 7; s++) {
        const t = performance.now();
        for (let r = 0; r < 50; r++) f();
        samples.push((performance.now() - t) / 50);
      }
      return samples.sort((a, b) => a - b)[3];
    };
    const i2c = time(() => backend.im2col(x, col, g));
    const c2i = time(() => backend.col2im(col, x, g));
    console.log(`${name} ${threads} thread(s): im2col ${i2c.toFixed(4)} ms, col2im ${c2i.toFixed(4)} ms (column matrix ${((col.length * 4) / 2 ** 20).toFixed(2)} MiB)`);
  }
  backend.dispose();
}

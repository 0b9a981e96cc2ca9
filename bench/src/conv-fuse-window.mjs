// ms per call of im2col and col2im on the im2col convolution layers of lenet5 (Conv2d(6,16,5) on
// 14×14, batch 64) and convnetjs-mnist (Conv2d(8,16,5,pad=2) on 14×14, batch 20), on 1 and 2
// threads, median of 9 samples of 50 calls (timing-sensitive: under the bench lock). With
// BASE_CORE (the index.js of a saved core dist) the same calls on that build are timed in
// alternation with the workspace's, and the speed ratio new/base is printed.
//
//   [BASE_CORE=/tmp/base/dist/index.js] node src/conv-fuse-window.mjs
import * as fresh from '@scratchnet/core';

const builds = { new: fresh };
if (process.env.BASE_CORE) builds.base = await import(process.env.BASE_CORE);
const layers = [
  ['lenet5', { batch: 64, channels: 6, height: 14, width: 14, kernelH: 5, kernelW: 5, strideH: 1, strideW: 1, padH: 0, padW: 0, outH: 10, outW: 10 }],
  ['convnetjs', { batch: 20, channels: 8, height: 14, width: 14, kernelH: 5, kernelW: 5, strideH: 1, strideW: 1, padH: 2, padW: 2, outH: 14, outW: 14 }],
];
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const threads of [1, 2]) {
  const backends = {};
  for (const [name, core] of Object.entries(builds)) backends[name] = await core.createWasmBackend({ threads });
  for (const [layer, g] of layers) {
    const calls = {};
    for (const [name, backend] of Object.entries(backends)) {
      const x = backend.allocate(g.batch * g.channels * g.height * g.width);
      const col = backend.allocate(g.channels * g.kernelH * g.kernelW * g.batch * g.outH * g.outW);
      for (let i = 0; i < x.length; i++) x[i] = (i % 13) - 6;
      for (let i = 0; i < col.length; i++) col[i] = (i % 7) - 3;
      calls[name] = { im2col: () => backend.im2col(x, col, g), col2im: () => backend.col2im(col, x, g), samples: { im2col: [], col2im: [] } };
    }
    for (const v of Object.values(calls)) {
      const until = performance.now() + 400;
      while (performance.now() < until) (v.im2col(), v.col2im());
    }
    for (let s = 0; s < 9; s++) {
      for (const v of Object.values(calls)) {
        for (const kernel of ['im2col', 'col2im']) {
          const t = performance.now();
          for (let r = 0; r < 50; r++) v[kernel]();
          v.samples[kernel].push((performance.now() - t) / 50);
        }
      }
    }
    const line = Object.entries(calls).map(([name, v]) => `${name}: im2col ${median(v.samples.im2col).toFixed(4)} ms, col2im ${median(v.samples.col2im).toFixed(4)} ms`);
    if (calls.base) {
      const r = (k) => (median(calls.base.samples[k]) / median(calls.new.samples[k])).toFixed(3);
      line.push(`new/base speed im2col ${r('im2col')}×, col2im ${r('col2im')}×`);
    }
    console.log(`${layer} ${threads} thread(s), load ${(await import('node:os')).loadavg()[0].toFixed(2)}: ${line.join('; ')}`);
  }
  for (const backend of Object.values(backends)) backend.dispose();
}

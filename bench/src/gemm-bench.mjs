// GEMM GFLOP/s of scratchnet's wasm kernels on the shapes the benchmark networks run (forward
// x·Wᵀ, input gradient dy·W, weight gradient dyᵀ·x), on 1 and 2 threads.
import { createWasmBackend } from '@scratchnet/core';

/** The three GEMMs of one dense layer (in → out) at batch b: [label, transA, transB, m, n, k]. */
export function layerGemms(b, inSize, outSize, first) {
  const list = [
    [`fwd ${b}×${inSize}·(${outSize}×${inSize})ᵀ`, false, true, b, outSize, inSize],
    [`dW (${b}×${outSize})ᵀ·${b}×${inSize}`, true, false, outSize, inSize, b],
  ];
  if (!first) list.push([`dX ${b}×${outSize}·${outSize}×${inSize}`, false, false, b, inSize, outSize]);
  return list;
}

export async function measureGemms(shapes, threads) {
  const backend = await createWasmBackend({ threads });
  const out = [];
  for (const [label, ta, tb, m, n, k] of shapes) {
    const a = backend.allocate(m * k);
    const b = backend.allocate(k * n);
    const c = backend.allocate(m * n);
    for (let i = 0; i < a.length; i++) a[i] = ((i * 7) % 13) / 13 - 0.5;
    for (let i = 0; i < b.length; i++) b[i] = ((i * 5) % 11) / 11 - 0.5;
    const flops = 2 * m * n * k;
    // Warm up: a new backend with threads needs over a second before it runs at full speed here
    // (the first shape measured 40–60 GFLOP/s after 0.4 s of calls, 90+ after 1.5 s; with both
    // cores busy, the optimizing compiles and the scheduler's placement of the new worker wait),
    // then 0.4 s per shape.
    const warmUntil = performance.now() + (out.length === 0 ? 1500 : 400);
    for (let i = 0; i < 30 || performance.now() < warmUntil; i++) backend.gemm(ta, tb, m, n, k, a, b, c, false);
    const reps = Math.max(30, Math.round(3e9 / flops));
    const samples = [];
    for (let r = 0; r < 5; r++) {
      const t = performance.now();
      for (let i = 0; i < reps / 5; i++) backend.gemm(ta, tb, m, n, k, a, b, c, false);
      samples.push((performance.now() - t) / 1000 / (reps / 5));
    }
    samples.sort((x, y) => x - y);
    out.push({ label, m, n, k, transA: ta, transB: tb, gflops: flops / samples[2] / 1e9 });
    for (const buffer of [a, b, c]) backend.release(buffer);
  }
  backend.dispose();
  return out;
}

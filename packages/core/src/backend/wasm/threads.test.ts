import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstMismatch } from './compare-buffers.js';
import { createWasmBackend, setThreadSplits, type WasmBackend } from './wasm-backend.js';

function random(seed: number, n: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 8) / 16777216 - 0.5;
  }
  return out;
}

// Each output element is computed by the same micro-kernel over the same k order whichever
// thread owns it, so two threads must give bit-identical results to one (tolerance 0).
describe('wasm backend with worker threads', () => {
  let one: WasmBackend;
  let two: WasmBackend;
  beforeAll(async () => {
    one = await createWasmBackend({ threads: 1 });
    two = await createWasmBackend({ threads: 2 });
  });
  afterAll(() => two.dispose());

  it('starts a worker on the shared memory', () => {
    expect(two.threads).toBe(2);
    expect(two.variant.shared).toBe(true);
  });

  it('large GEMMs split by rows or columns match one thread exactly, all transposes', () => {
    // n = 37 forces a row split, n = 301 a column split (odd edges on both).
    for (const [m, n, k] of [
      [203, 37, 300],
      [45, 301, 257],
      [128, 256, 784],
    ]) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const a = random(m + n, m * k);
          const b = random(k + 1, k * n);
          const c1 = one.allocate(m * n);
          const c2 = two.allocate(m * n);
          c1.set(random(7, m * n));
          c2.set(c1);
          const [a1, b1, a2, b2] = [one.allocate(m * k), one.allocate(k * n), two.allocate(m * k), two.allocate(k * n)];
          a1.set(a);
          a2.set(a);
          b1.set(b);
          b2.set(b);
          one.gemm(ta, tb, m, n, k, a1, b1, c1, true);
          two.gemm(ta, tb, m, n, k, a2, b2, c2, true);
          const mismatch = firstMismatch(`gemm ${m}×${n}×${k} ta=${ta} tb=${tb}`, c2, c1, 0, 0);
          expect(mismatch, mismatch ?? '').toBeNull();
        }
      }
    }
  });

  it('gemmBatch split by matrices matches one thread and one gemm per matrix exactly, all transposes', () => {
    // A Winograd F(2×2, 5×5) layer's products (36 of 16×980×8) and an odd batch of 7.
    for (const [count, m, n, k] of [
      [36, 16, 980, 8],
      [7, 13, 77, 29],
    ]) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const a = random(m + n, count * m * k);
          const b = random(k + 1, count * k * n);
          const start = random(7, count * m * n);
          const run = (backend: WasmBackend, batched: boolean): Float32Array => {
            const [ab, bb, cb] = [backend.allocate(a.length), backend.allocate(b.length), backend.allocate(start.length)];
            ab.set(a);
            bb.set(b);
            cb.set(start);
            if (batched) backend.gemmBatch(ta, tb, m, n, k, count, ab, bb, cb, true);
            else for (let i = 0; i < count; i++) backend.gemm(ta, tb, m, n, k, ab.subarray(i * m * k), bb.subarray(i * k * n), cb.subarray(i * m * n), true);
            return cb;
          };
          const reference = run(one, false);
          for (const [label, got] of [
            ['one thread', run(one, true)],
            ['two threads', run(two, true)],
          ] as const) {
            const mismatch = firstMismatch(`gemmBatch ${count}×${m}×${n}×${k} ta=${ta} tb=${tb} on ${label}`, got, reference, 0, 0);
            expect(mismatch, mismatch ?? '').toBeNull();
          }
        }
      }
    }
  });

  it('a worker that has gone to sleep (idle past its spin time) wakes for the next kernel', async () => {
    const [m, n, k] = [64, 96, 200];
    const a = random(3, m * k);
    const b = random(4, k * n);
    const results = [one, two].map((backend) => {
      const [ab, bb, cb] = [backend.allocate(m * k), backend.allocate(k * n), backend.allocate(m * n)];
      ab.set(a);
      bb.set(b);
      return { backend, ab, bb, cb };
    });
    results[0].backend.gemm(false, true, m, n, k, results[0].ab, results[0].bb, results[0].cb, false);
    for (let round = 0; round < 3; round++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      const { backend, ab, bb, cb } = results[1];
      cb.fill(Number.NaN);
      backend.gemm(false, true, m, n, k, ab, bb, cb, false);
      const mismatch = firstMismatch(`gemm after ${25 * (round + 1)} ms idle`, cb, results[0].cb, 0, 0);
      expect(mismatch, mismatch ?? '').toBeNull();
    }
  });

  it('single-row products (inference) give the same bits whether or not a spinning worker takes half', () => {
    const [n, k] = [256, 784];
    const x = random(21, 3 * k);
    const w = random(22, n * k);
    const outputs = [one, two].map((backend) => {
      const [xb, wb] = [backend.allocate(3 * k), backend.allocate(n * k)];
      xb.set(x);
      wb.set(w);
      const out: Float32Array[] = [];
      // Back to back, as a prediction loop runs them: the first call finds the worker asleep and
      // runs alone (waking it), the later ones are split.
      for (const rows of [1, 1, 1, 2, 3]) {
        const y = backend.allocate(rows * n);
        backend.gemm(false, true, rows, n, k, xb, wb, y, false);
        out.push(y.slice());
      }
      return out;
    });
    outputs[1].forEach((y, i) => {
      const mismatch = firstMismatch(`product ${i}`, y, outputs[0][i], 0, 0);
      expect(mismatch, mismatch ?? '').toBeNull();
    });
  });

  it.each([
    [6, 25, 50176],
    [16, 150, 6400],
    [7, 70, 2048],
  ])('a convolution weight gradient (gemm NT, m=%i n=%i k=%i, dot-product tiles) split across threads matches one thread exactly', (m, n, k) => {
    const run = (backend: WasmBackend) => {
      const [a, b, c] = [m * k, n * k, m * n].map((size, i) => {
        const buffer = backend.allocate(size);
        buffer.set(random(41 + i, size));
        return buffer;
      });
      backend.gemm(false, true, m, n, k, a, b, c, true);
      return c;
    };
    const mismatch = firstMismatch('gemm NT on two threads', run(two), run(one), 0, 0);
    expect(mismatch, mismatch ?? '').toBeNull();
  });

  it('im2col and col2im split by images match one thread exactly (batch not a multiple of the threads)', () => {
    // 6·5·3 · 7·17·8 = 85 680 column entries: past the threshold for splitting.
    const g = { batch: 7, channels: 6, height: 17, width: 15, kernelH: 5, kernelW: 3, strideH: 1, strideW: 2, padH: 2, padW: 1, outH: 17, outW: 8 };
    const input = random(31, g.batch * g.channels * g.height * g.width);
    const columns = random(32, g.channels * g.kernelH * g.kernelW * g.batch * g.outH * g.outW);
    const run = (backend: WasmBackend) => {
      const [x, col, dcol, dx] = [input.length, columns.length, columns.length, input.length].map((n) => backend.allocate(n).fill(Number.NaN));
      x.set(input);
      dcol.set(columns);
      backend.im2col(x, col, g);
      backend.col2im(dcol, dx, g);
      return { col, dx };
    };
    const [a, b] = [run(one), run(two)];
    for (const [label, actual, expected] of [
      ['im2col', b.col, a.col],
      ['col2im', b.dx, a.dx],
    ] as const) {
      const mismatch = firstMismatch(`${label} on two threads`, actual, expected, 0, 0);
      expect(mismatch, mismatch ?? '').toBeNull();
    }
  });

  it('a convolution output with its ReLU and the activations split across threads match one thread exactly', () => {
    const [batch, channels, inner] = [37, 8, 784 + 3];
    const n = batch * channels * inner; // above the split threshold, not a multiple of 16
    const run = (backend: WasmBackend) => {
      const out: Array<[string, Float32Array]> = [];
      const [src, bias, y, dy, dx] = [n, channels, n, n, n].map((size) => backend.allocate(size).fill(Number.NaN));
      src.set(random(43, n));
      bias.set(random(44, channels));
      dy.set(random(45, n));
      backend.channelMajorToBatchActivation('relu', src, y, bias, batch, channels, inner, 0);
      backend.activationBackward('relu', y, y, dy, dx, n, 0);
      const z = backend.allocate(n).fill(Number.NaN);
      backend.activationForward('tanh', src, z, n, 0);
      out.push(['conv output relu', y], ['relu backward', dx], ['tanh forward', z]);
      return out;
    };
    // The split is off by default (no faster in whole training steps); this checks it stays exact.
    const before = setThreadSplits({ elementwise: true });
    let a: Array<[string, Float32Array]>;
    let b: Array<[string, Float32Array]>;
    try {
      [a, b] = [run(one), run(two)];
    } finally {
      setThreadSplits(before);
    }
    for (let i = 0; i < a.length; i++) {
      const mismatch = firstMismatch(`${a[i][0]} on two threads`, b[i][1], a[i][1], 0, 0);
      expect(mismatch, mismatch ?? '').toBeNull();
    }
  });

  it.each([(1 << 15) + 5, (1 << 17) + 13])('an Adam step over %i parameters split across threads matches one thread exactly', (n) => {
    const run = (backend: WasmBackend) => {
      const [p, g, m, v] = [0, 1, 2, 3].map((i) => {
        const buffer = backend.allocate(n);
        buffer.set(random(i + 11, n));
        return buffer;
      });
      v.forEach((x, i) => {
        v[i] = Math.abs(x);
      });
      backend.adamUpdate(p, g, m, v, n, 1e-3, 0.9, 0.999, 1e-8, 0, false, 3);
      return p;
    };
    const mismatch = firstMismatch('adam param', run(two), run(one), 0, 0);
    expect(mismatch, mismatch ?? '').toBeNull();
  });
});

// A worker the OS has not scheduled (on 2 cores, any other busy thread takes one) must not hold
// up the caller: chunks are taken, not assigned, so the caller does them all. With halves
// assigned up front this call never returned.
describe('a thread pool whose worker never runs', () => {
  let one: WasmBackend;
  let stalled: WasmBackend;
  beforeAll(async () => {
    one = await createWasmBackend({ threads: 1 });
    // Announces itself ready and then never looks at the job block.
    const createWorker = async () => {
      let ready: ((message: unknown) => void) | null = null;
      return {
        postMessage: () => queueMicrotask(() => ready?.('ready')),
        onMessage: (listener: (message: unknown) => void) => {
          ready = listener;
        },
        onError: () => {},
        terminate: () => {},
      };
    };
    stalled = await createWasmBackend({ threads: 2, createWorker });
  });
  afterAll(() => stalled.dispose());

  it('runs every kernel to the end on the calling thread, with the bits of one thread', () => {
    expect(stalled.threads).toBe(2);
    const [m, n, k] = [96, 301, 257];
    const run = (backend: WasmBackend) => {
      const [a, b, c] = [m * k, k * n, m * n].map((size, i) => {
        const buffer = backend.allocate(size);
        buffer.set(random(51 + i, size));
        return buffer;
      });
      backend.gemm(false, false, m, n, k, a, b, c, false);
      const [p, g, mm, v] = [0, 1, 2, 3].map((i) => backend.allocate((1 << 16) + 3).fill(0.25 * (i + 1)));
      backend.adamUpdate(p, g, mm, v, p.length, 1e-3, 0.9, 0.999, 1e-8, 0, false, 1);
      return { c, p };
    };
    const [expected, actual] = [run(one), run(stalled)];
    for (const key of ['c', 'p'] as const) {
      const mismatch = firstMismatch(`${key} with a stalled worker`, actual[key], expected[key], 0, 0);
      expect(mismatch, mismatch ?? '').toBeNull();
    }
  });
});

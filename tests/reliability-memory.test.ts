import { type Backend, type WasmBackend, fit } from '@scratchnet/core';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticDataset } from './reliability/children/training-setup.mjs';
import { availableBackends } from './reliability/helpers/backends.js';
import { KiB, MiB, robustGrowth, settledMemoryAsync, slope } from './reliability/helpers/memory.js';
import { scaled } from './reliability/helpers/scale.js';
import { buildModel, parseArchitecture } from '@scratchnet/core';
// The desktop app's training worker is a thin message loop around this plain module; it runs in Node.
import { TrainingSession } from '../packages/desktop/src/renderer/src/training/training-session.js';
import type { WorkerEvent } from '../packages/desktop/src/renderer/src/training/worker-protocol.js';

/**
 * Long runs and memory. Many epochs on synthetic data with the heap and ArrayBuffer bytes sampled
 * after a full GC at every epoch end: after a warm-up, the growth per epoch (least-squares slope)
 * and in total must stay under the stated bounds, so neither a per-batch nor a per-epoch leak
 * survives. 50 Fashion-MNIST epochs at batch 64 are ~47,000 steps; the full run
 * (RELIABILITY_FULL=1) takes 750 epochs × 64 steps = 48,000 steps, CI 60 epochs (3,840 steps).
 * Then the desktop training worker's session, started and stopped over and over.
 */
const EPOCHS = scaled('RELIABILITY_MEMORY_EPOCHS', 60, 750);
const STEPS_PER_EPOCH = 64;
const CYCLES = scaled('RELIABILITY_DESKTOP_CYCLES', 20, 200);
/** Epochs left out of the fit while V8 compiles and the first buffers are made. */
const WARMUP = 10;
/**
 * Heap bound per epoch: fit keeps one history row per epoch (~0.2 KiB) and V8 keeps compiling for
 * a while (~0.5 KiB/epoch measured over 400 epochs), so 4 KiB/epoch leaves room for that while
 * catching a leak of ≥ 64 bytes per batch (64 batches an epoch).
 */
const HEAP_SLOPE_BOUND = 4 * KiB;
/** ArrayBuffers per epoch: training allocates none after the first batch, so any slope is a leak. */
const BUFFER_SLOPE_BOUND = 512;
/** Total growth after warm-up, whatever the shape of the curve. */
const TOTAL_BOUND = (epochs: number) => 2 * MiB + epochs * HEAP_SLOPE_BOUND;

const figures: Record<string, unknown> = {};
afterAll(() => {
  console.log(`[reliability] memory: ${JSON.stringify(figures)}`);
});

const backends = await availableBackends();
const data = syntheticDataset({ count: 16 * STEPS_PER_EPOCH, features: 32, classes: 10, seed: 9 });
const validation = syntheticDataset({ count: 128, features: 32, classes: 10, seed: 9, split: 1 });

describe.each(backends)('a long run on the $name backend', ({ name, backend }) => {
  it(`${EPOCHS} epochs × ${STEPS_PER_EPOCH} steps: heap and ArrayBuffers flat after warm-up`, async () => {
    const model = buildModel(parseArchitecture('32-32-16-10', { dropout: 0.1 }), { seed: 3, backend });
    // Preallocated, so the samples themselves do not grow the heap being measured.
    const heapSamples = new Float64Array(EPOCHS);
    const bufferSamples = new Float64Array(EPOCHS);
    const liveSamples = new Float64Array(EPOCHS);
    let epoch = 0;
    await fit(model, data, {
      epochs: EPOCHS,
      batchSize: 16,
      optimizer: { type: 'adam', lr: 0.001 },
      schedule: { type: 'cosine' },
      validation,
      seed: 1,
      callbacks: {
        async onEpochEnd() {
          const sample = await settledMemoryAsync();
          heapSamples[epoch] = sample.heapUsed;
          bufferSamples[epoch] = sample.arrayBuffers;
          if (isWasm(backend)) liveSamples[epoch] = backend.liveBytes();
          epoch++;
        },
      },
    });
    const h = Array.from(heapSamples.subarray(WARMUP));
    const b = Array.from(bufferSamples.subarray(WARMUP));
    const wasmLive = isWasm(backend) ? Array.from(liveSamples) : [];
    const result = {
      epochs: EPOCHS,
      steps: EPOCHS * STEPS_PER_EPOCH,
      heapSlopeBytesPerEpoch: Math.round(slope(h)),
      heapGrowthKiB: Math.round(robustGrowth(h) / KiB),
      heapMaxMinusMinKiB: Math.round((Math.max(...h) - Math.min(...h)) / KiB),
      arrayBufferSlopeBytesPerEpoch: Math.round(slope(b)),
      arrayBufferGrowthKiB: Math.round(robustGrowth(b) / KiB),
      ...(wasmLive.length ? { wasmLiveBytesFirst: wasmLive[0], wasmLiveBytesLast: wasmLive.at(-1) } : {}),
    };
    figures[name] = result;
    expect(slope(h)).toBeLessThan(HEAP_SLOPE_BOUND);
    expect(robustGrowth(h)).toBeLessThan(TOTAL_BOUND(EPOCHS));
    expect(slope(b)).toBeLessThan(BUFFER_SLOPE_BOUND);
    expect(robustGrowth(b)).toBeLessThan(TOTAL_BOUND(0));
    // The WASM arena hands out the same buffers every epoch: live bytes never change.
    if (wasmLive.length) expect(new Set(wasmLive.slice(1)).size).toBe(1);
  });
});

describe("the desktop worker's training session", () => {
  it(`${CYCLES} train/stop cycles: memory flat across cycles`, async () => {
    const bytes = (count: number, seed: number) => {
      let x = seed;
      const next = () => {
        x = (x * 1103515245 + 12345) >>> 0;
        return (x >>> 24) & 0xff;
      };
      return { source: `synthetic ${seed}`, count, rows: 28, cols: 28, images: Uint8Array.from({ length: count * 784 }, next), labels: Uint8Array.from({ length: count }, () => next() % 10) };
    };
    const train = bytes(512, 1);
    const validationBytes = bytes(128, 2);
    const heap: number[] = [];
    const buffers: number[] = [];
    const outcomes = new Map<string, number>();
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      let session: TrainingSession | undefined;
      let batches = 0;
      const stopAfter = 5 + (cycle % 7) * 9;
      const events: string[] = [];
      const emit = (event: WorkerEvent) => {
        events.push(event.type);
        if (event.type === 'progress' && ++batches >= 1 && events.length > stopAfter) session?.stop();
        if (event.type === 'epoch' && cycle % 3 === 0) session?.stop();
      };
      session = new TrainingSession(
        {
          runId: cycle,
          config: { architecture: '784-32-10', activations: 'relu', dropout: 0, optimizer: 'adam', learningRate: 0.001, batchSize: 16, epochs: 1000, seed: cycle },
          datasetLabel: 'synthetic',
          classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
          train,
          validation: validationBytes,
        },
        emit,
        fastClock(),
      );
      await session.run();
      const last = events.at(-1)!;
      outcomes.set(last, (outcomes.get(last) ?? 0) + 1);
      session = undefined;
      const sample = await settledMemoryAsync();
      heap.push(sample.heapUsed);
      buffers.push(sample.arrayBuffers);
    }
    // Every run ended cleanly, by the stop request.
    expect([...outcomes.keys()]).toEqual(['finished']);
    // The first cycles compile code and fill the backend's pools.
    const h = heap.slice(3);
    const b = buffers.slice(3);
    figures.desktopSession = {
      cycles: CYCLES,
      heapSlopeBytesPerCycle: Math.round(slope(h)),
      heapGrowthKiB: Math.round(robustGrowth(h) / KiB),
      arrayBufferSlopeBytesPerCycle: Math.round(slope(b)),
      arrayBufferGrowthKiB: Math.round(robustGrowth(b) / KiB),
    };
    // A session holds ~0.2 MB of weights, Adam slots and batch buffers; keeping even one per cycle would show.
    expect(slope(h)).toBeLessThan(16 * KiB);
    expect(slope(b)).toBeLessThan(16 * KiB);
    expect(robustGrowth(h)).toBeLessThan(2 * MiB);
    expect(robustGrowth(b)).toBeLessThan(2 * MiB);
  });
});

function isWasm(backend: Backend): backend is WasmBackend {
  return backend.name === 'wasm';
}

/** A clock that advances 60 ms a reading, so the session reports progress every couple of batches. */
function fastClock(): () => number {
  let t = 0;
  return () => (t += 60);
}

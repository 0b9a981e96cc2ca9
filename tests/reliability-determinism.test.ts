import { type OptimizerConfig, createJsBackend, fit } from '@scratchnet/core';
import { afterAll, describe, expect, it } from 'vitest';
import { TASKS, buildTaskModel, syntheticDataset, weightsAndHistoryHash } from './reliability/children/training-setup.mjs';
import { availableBackends } from './reliability/helpers/backends.js';
import { startNode } from './reliability/helpers/child-process.js';
import { childScript } from './reliability/helpers/paths.js';
import { scaled } from './reliability/helpers/scale.js';
import { differingTensors, maxRelativeDifference } from './reliability/helpers/weights.js';

/**
 * Determinism: the same seed and configuration give bit-identical weights and history, in one
 * process and across processes, for every optimizer; another seed gives other weights. The JS
 * and WASM backends agree within a stated float32 tolerance (their sums are ordered differently,
 * so bit equality across backends is not promised).
 */
const EPOCHS = scaled('RELIABILITY_DETERMINISM_EPOCHS', 10, 100);
/** Largest |w_js − w_wasm| / max(1, |w_js|) accepted after training. Measured: 2.4e-7 at 10 epochs, 1.3e-6 at 100. */
const WEIGHT_TOLERANCE = 1e-5;
/**
 * Largest |loss_js − loss_wasm| / max(|loss_js|, 0.1) accepted per epoch (train and validation);
 * the floor keeps a loss near zero from turning float32 noise into a large relative error.
 * Measured: 1.6e-6 at 10 epochs, 7.1e-7 at 100.
 */
const LOSS_TOLERANCE = 1e-5;

const task = TASKS.resume;
const train = syntheticDataset(task.data);
const validation = syntheticDataset(task.validation!);
const backends = await availableBackends();
const figures: Record<string, number | string> = {};
afterAll(() => {
  console.log(`[reliability] determinism: ${JSON.stringify(figures)}`);
});

const optimizers: OptimizerConfig[] = [
  { type: 'sgd', lr: 0.05 },
  { type: 'momentum', lr: 0.02, momentum: 0.9, nesterov: true },
  { type: 'rmsprop', lr: 0.003 },
  { type: 'adam', lr: 0.01 },
  { type: 'adamw', lr: 0.01, weightDecay: 0.05 },
];

describe.each(backends)('same seed, same bits on the $name backend', ({ backend }) => {
  it.each(optimizers)('$type: two runs give identical weights and history; another seed does not', async (optimizer) => {
    const run = async (seed: number) => {
      const model = buildTaskModel(task, backend);
      const history = await fit(model, train, { ...task.fit, optimizer, seed, epochs: Math.min(EPOCHS, 4), validation });
      return { weights: model.stateDict(), history };
    };
    const [a, b, other] = [await run(42), await run(42), await run(43)];
    expect(differingTensors(a.weights, b.weights)).toEqual([]);
    expect(b.history).toEqual(a.history);
    // The seed drives shuffling and dropout, so a different one must change the result.
    expect(differingTensors(a.weights, other.weights).length).toBeGreaterThan(0);
  });
});

describe('same seed, same bits across processes', () => {
  it.each(backends.map((b) => b.name))('%s: two fresh Node processes and this one agree on the SHA-256 of weights + history', async (name) => {
    const hashes = await Promise.all(
      [0, 1].map(async () => {
        const child = startNode([childScript('train-and-hash.mjs'), String(EPOCHS), name]);
        const exit = await child.exited;
        expect(exit.code, child.stderr()).toBe(0);
        return child.lines.find((line) => line.startsWith('sha256 '))!.slice(7);
      }),
    );
    const backend = backends.find((b) => b.name === name)!.backend;
    const model = buildTaskModel(task, backend);
    const history = await fit(model, train, { ...task.fit, epochs: EPOCHS, validation });
    expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes[1]).toBe(hashes[0]);
    expect(weightsAndHistoryHash(model, history)).toBe(hashes[0]);
  });
});

describe.skipIf(!backends.some((b) => b.name === 'wasm'))('JS and WASM backends agree', () => {
  it(`after ${EPOCHS} epochs: weights within ${WEIGHT_TOLERANCE} and losses within ${LOSS_TOLERANCE} (relative, floor 0.1)`, async () => {
    const wasm = backends.find((b) => b.name === 'wasm')!.backend;
    const jsModel = buildTaskModel(task, createJsBackend());
    const wasmModel = buildTaskModel(task, wasm);
    // Same initial weights: the initialiser draws from the seed, not from the backend.
    expect(differingTensors(jsModel.stateDict(), wasmModel.stateDict())).toEqual([]);
    const jsHistory = await fit(jsModel, train, { ...task.fit, epochs: EPOCHS, validation });
    const wasmHistory = await fit(wasmModel, train, { ...task.fit, epochs: EPOCHS, validation });

    const weightDifference = maxRelativeDifference(jsModel, wasmModel);
    let lossDifference = 0;
    jsHistory.epochs.forEach((row, i) => {
      const other = wasmHistory.epochs[i];
      const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), 0.1);
      lossDifference = Math.max(lossDifference, relative(row.loss, other.loss), relative(row.valLoss!, other.valLoss!));
    });
    figures.epochs = EPOCHS;
    figures.jsWasmMaxRelativeWeightDifference = weightDifference;
    figures.jsWasmMaxRelativeLossDifference = lossDifference;
    expect(weightDifference).toBeLessThanOrEqual(WEIGHT_TOLERANCE);
    expect(lossDifference).toBeLessThanOrEqual(LOSS_TOLERANCE);
    // They are genuinely separate implementations: the bits are not all the same.
    figures.tensorsDiffering = `${differingTensors(jsModel.stateDict(), wasmModel.stateDict()).length} of ${jsModel.stateDict().size}`;
  });
});

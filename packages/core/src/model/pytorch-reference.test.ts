import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend/backend.js';
import { getBatchLoss } from '../losses/index.js';
import type { LossName } from '../losses/loss.js';
import { Tensor } from '../tensor.js';
import { availableBackends } from '../../test/helpers/backends.js';
import { arrayError } from '../../test/helpers/relative-error.js';
import { buildModel } from './build-model.js';
import { type ArchitectureOptions, parseArchitecture } from './parse-architecture.js';

/**
 * scratchnet against PyTorch (reference/generate.py, float64 torch.nn.Sequential): the same
 * state_dict names in the same order, and the same outputs, loss and gradients for
 * Linear/ReLU/LeakyReLU/SELU/Tanh/Sigmoid/Softmax/Dropout(eval) with cross-entropy, MSE and BCE.
 */
interface ReferenceCase {
  name: string;
  architecture: string;
  options: ArchitectureOptions;
  loss: LossName;
  x: number[];
  labels: number[];
  stateDict: Record<string, { shape: number[]; values: number[] }>;
  output: number[];
  lossValue: number;
  inputGrad: number[];
  grads: Record<string, number[]>;
}
const reference = JSON.parse(readFileSync(new URL('./reference/pytorch-reference.json', import.meta.url), 'utf8')) as {
  rows: number;
  cases: ReferenceCase[];
};

/** Relative to the largest expected value; float32 arithmetic measured at most 3.9e-7 (js and wasm), so 25× margin. */
const TOLERANCE = 1e-5;

describe.each(await availableBackends())('PyTorch reference on the $name backend', (backend: Backend) => {
  it.each(reference.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const rows = reference.rows;
    const model = buildModel(parseArchitecture(c.architecture, c.options), { backend, seed: 5 });
    expect(model.namedParameters().map(([name]) => name)).toEqual(Object.keys(c.stateDict));
    model.loadStateDict(Object.fromEntries(Object.entries(c.stateDict).map(([k, v]) => [k, new Tensor(v.shape, Float32Array.from(v.values))])));
    model.eval();
    model.zeroGrad();
    const x = backend.allocate(c.x.length);
    x.set(c.x);
    const cols = model.outputSize;
    const output = model.forwardBatch(x, rows);
    expect(arrayError(output, c.output), 'output').toBeLessThan(TOLERANCE);
    const dOutput = backend.allocate(rows * cols);
    const loss = getBatchLoss(c.loss)(backend, output, Int32Array.from(c.labels), dOutput, rows, cols);
    expect(Math.abs(loss - c.lossValue) / c.lossValue, 'loss').toBeLessThan(TOLERANCE);
    const dx = model.backwardBatch(dOutput, rows, true)!;
    expect(arrayError(dx, c.inputGrad), 'input gradient').toBeLessThan(TOLERANCE);
    for (const [name, p] of model.namedParameters()) {
      expect(arrayError(p.grad.data, c.grads[name]), `gradient of ${name}`).toBeLessThan(TOLERANCE);
    }
  });
});

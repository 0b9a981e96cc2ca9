import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend/backend.js';
import { buildModel } from '../model/build-model.js';
import { parseArchitecture } from '../model/parse-architecture.js';
import type { Sequential } from '../model/sequential.js';
import { availableBackends } from '../../test/helpers/backends.js';
import { barsDataset } from '../../test/helpers/bars.js';
import { evaluate } from './evaluate.js';
import { fit } from './fit.js';
import type { TrainingAbortedError } from './training-aborted-error.js';
import type { FitOptions, TrainerState } from './types.js';

const train = barsDataset(240, 1);
const test = barsDataset(90, 2);
const ARCH = '1x8x8-conv(6,3,pad=1,bias=false)-bn-relu-maxpool(2)-conv(8,3)-relu-flatten-dropout(0.2)-16-relu-3';
const options = (): FitOptions => ({ epochs: 4, batchSize: 16, seed: 3, optimizer: { type: 'adam', lr: 0.01 }, validation: test });
const weightsOf = (model: Sequential) => [...model.stateDict().values()].map((t) => Array.from(t.data));

describe.each(await availableBackends())('fit with a CNN on the $name backend', (backend: Backend) => {
  it('learns bars of three orientations (conv, batch norm, pooling, dropout) and evaluates them', async () => {
    const model = buildModel(parseArchitecture(ARCH), { seed: 1, backend });
    const before = evaluate(model, test).accuracy;
    await fit(model, train, { ...options(), epochs: 6 });
    const after = evaluate(model, test).accuracy;
    expect(before).toBeLessThan(0.6);
    expect(after).toBeGreaterThan(0.95);
    const bn = model.buffers();
    expect(bn.map((b) => b.name)).toEqual(['1.running_mean', '1.running_var', '1.num_batches_tracked']);
    expect(bn[2].value.data[0]).toBe(6 * Math.ceil(240 / 16)); // one per training batch, none in evaluation
  });

  it('resumes mid-epoch bit-identical, batch-norm running statistics included', async () => {
    const reference = buildModel(parseArchitecture(ARCH), { seed: 1, backend });
    await fit(reference, train, options());
    const stopped = buildModel(parseArchitecture(ARCH), { seed: 1, backend });
    const controller = new AbortController();
    let state: TrainerState | undefined;
    try {
      await fit(stopped, train, { ...options(), signal: controller.signal, callbacks: { onBatchEnd: (i) => void (i.epoch === 2 && i.batch === 5 && controller.abort()) } });
    } catch (error) {
      state = (error as TrainingAbortedError).state;
    }
    expect(state).toBeDefined();
    const resumed = buildModel(parseArchitecture(ARCH), { seed: 7, backend });
    resumed.loadStateDict(stopped.stateDict());
    await fit(resumed, train, { ...options(), resumeFrom: structuredClone(state!) });
    expect(weightsOf(resumed)).toEqual(weightsOf(reference));
  });

  it('refuses images of another layout with both shapes named', async () => {
    const model = buildModel(parseArchitecture('1x4x16-flatten-3'), { backend });
    await expect(fit(model, train, options())).rejects.toThrow(/examples are \[1, 8, 8\] but the model expects \[1, 4, 16\]/);
  });
});

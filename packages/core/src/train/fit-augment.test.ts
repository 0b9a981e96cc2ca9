import { describe, expect, it } from 'vitest';
import { buildModel } from '../model/build-model.js';
import { parseArchitecture } from '../model/parse-architecture.js';
import type { Sequential } from '../model/sequential.js';
import { barsDataset } from '../../test/helpers/bars.js';
import { twoSpirals } from '../../test/helpers/spirals.js';
import type { AugmentConfig } from './augment-config.js';
import { evaluate } from './evaluate.js';
import { fit } from './fit.js';
import type { TrainingAbortedError } from './training-aborted-error.js';
import type { FitOptions, TrainerState } from './types.js';

const train = barsDataset(120, 1);
const validation = barsDataset(45, 2);
const ARCH = '1x8x8-conv(4,3,pad=1)-bn-relu-maxpool(2)-flatten-dropout(0.2)-12-relu-3';
const augment: AugmentConfig = { rotate: 10, scale: 0.1, shift: 1, shear: 5, elastic: { alpha: 6, sigma: 1.5 }, stroke: 0.2, thickness: { thin: 0.3, thick: 0.8 }, erase: 0.2 };
const options = (): FitOptions => ({ epochs: 3, batchSize: 16, seed: 5, optimizer: { type: 'adam', lr: 0.01 }, validation, augment });
const newModel = (seed = 1) => buildModel(parseArchitecture(ARCH), { seed });
const weightsOf = (model: Sequential) => [...model.stateDict().values()].map((t) => Array.from(t.data));

describe('fit with augment', () => {
  it('is deterministic, and differs from training without it', async () => {
    const [a, b, plain] = [newModel(), newModel(), newModel()];
    const ha = await fit(a, train, options());
    const hb = await fit(b, train, options());
    await fit(plain, train, { ...options(), augment: undefined });
    expect(hb).toEqual(ha);
    expect(weightsOf(b)).toEqual(weightsOf(a));
    expect(weightsOf(plain)).not.toEqual(weightsOf(a));
  });

  it('resumes mid-epoch (abort) and from an epoch-end snapshot bit-identical to an uninterrupted run', async () => {
    const reference = newModel();
    const referenceHistory = await fit(reference, train, options());

    const stopped = newModel();
    const controller = new AbortController();
    let aborted: TrainerState | undefined;
    let atEpochEnd: { state: TrainerState; weights: ReturnType<Sequential['stateDict']> } | undefined;
    try {
      await fit(stopped, train, {
        ...options(),
        signal: controller.signal,
        callbacks: {
          onBatchEnd: (i) => void (i.epoch === 1 && i.batch === 3 && controller.abort()),
          onEpochEnd: (i) => {
            atEpochEnd = { state: i.trainerState(), weights: stopped.stateDict() };
          },
        },
      });
    } catch (error) {
      aborted = (error as TrainingAbortedError).state;
    }
    expect([aborted?.epoch, aborted?.batch]).toEqual([1, 4]);
    for (const [state, weights] of [
      [aborted!, stopped.stateDict()],
      [atEpochEnd!.state, atEpochEnd!.weights],
    ] as const) {
      const resumed = newModel(9);
      resumed.loadStateDict(weights);
      const history = await fit(resumed, train, { ...options(), resumeFrom: structuredClone(state) });
      expect(history).toEqual(referenceHistory);
      expect(weightsOf(resumed)).toEqual(weightsOf(reference));
    }
  });

  it('never augments validation data: the recorded validation loss is that of the plain data', async () => {
    const model = newModel();
    const history = await fit(model, train, { ...options(), epochs: 1 });
    const plain = evaluate(model, validation, { batchSize: 16 });
    expect(history.epochs[0].valLoss).toBeCloseTo(plain.loss, 6);
    expect(history.epochs[0].valAccuracy).toBe(plain.accuracy);
  });

  it('treats a flat model with a square input as one-channel images, and refuses other flat inputs', async () => {
    const flat = { ...train, shape: undefined };
    const mlp = buildModel(parseArchitecture('64-8-3'), { seed: 1 });
    await expect(fit(mlp, flat, { ...options(), validation: undefined, epochs: 1 })).resolves.toBeDefined();
    const spirals = buildModel(parseArchitecture('2-4-2'), { seed: 1 });
    await expect(fit(spirals, twoSpirals(10), { ...options(), validation: undefined, epochs: 1 })).rejects.toThrow(
      /augment needs image examples .* but the model takes \[2\]/,
    );
  });

  it('checks the config before training', async () => {
    await expect(fit(newModel(), train, { ...options(), augment: { rotate: -1 } })).rejects.toThrow(/augment.rotate must be a number in \[0, 180\]/);
  });
});

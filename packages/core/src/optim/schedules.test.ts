import { describe, expect, it } from 'vitest';
import { ConfigError, ErrorCode } from '../errors.js';
import reference from './reference/optimizer-reference.json';
import { scheduledLearningRate, validateSchedule } from './schedules.js';
import type { ScheduleConfig, ScheduleContext } from './types.js';

function warmup(warmupEpochs: number, then: ScheduleConfig): ScheduleConfig {
  return { type: 'warmup', warmupEpochs, then };
}

/** The rate at the first step of each epoch. */
function perEpoch(schedule: ScheduleConfig, baseLr: number, totalEpochs: number, stepsPerEpoch = 1): number[] {
  return Array.from({ length: totalEpochs }, (_, epoch) => scheduledLearningRate(schedule, baseLr, { epoch, step: 0, stepsPerEpoch, totalEpochs }));
}

function expectClose(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  for (const [i, a] of actual.entries()) {
    expect(Math.abs(a - expected[i]), `epoch ${i}: ${a} vs ${expected[i]}`).toBeLessThan(1e-12);
  }
}

describe('learning-rate schedules', () => {
  for (const { schedule, baseLr, totalEpochs, lrs } of reference.schedules) {
    it(`${JSON.stringify(schedule)} matches PyTorch's scheduler epoch by epoch`, () => {
      expectClose(perEpoch(schedule as ScheduleConfig, baseLr, totalEpochs), lrs);
    });
  }

  it('step, exponential and cosine by hand', () => {
    expectClose(perEpoch({ type: 'step', stepSize: 2, gamma: 0.1 }, 1, 5), [1, 1, 0.1, 0.1, 0.01]);
    expectClose(perEpoch({ type: 'exponential', gamma: 0.5 }, 0.8, 4), [0.8, 0.4, 0.2, 0.1]);
    // cosine over 4 epochs from 1 to 0: (1 + cos(πe/4))/2 = 1, 0.853553, 0.5, 0.146447; then minLr
    expectClose(perEpoch({ type: 'cosine' }, 1, 4), [1, 0.8535533905932737, 0.5, 0.14644660940672627]);
    expect(scheduledLearningRate({ type: 'cosine', minLr: 0.2 }, 1, { epoch: 9, step: 0, stepsPerEpoch: 1, totalEpochs: 4 })).toBe(0.2);
    expectClose(perEpoch({ type: 'constant' }, 0.3, 3), [0.3, 0.3, 0.3]);
  });

  it('constant within an epoch except during warm-up', () => {
    const context = (step: number): ScheduleContext => ({ epoch: 3, step, stepsPerEpoch: 10, totalEpochs: 8 });
    const cosine: ScheduleConfig = { type: 'cosine' };
    expect(scheduledLearningRate(cosine, 1, context(0))).toBe(scheduledLearningRate(cosine, 1, context(9)));
  });

  it('warm-up ramps per step to the base rate, then hands over to the next schedule', () => {
    // 2 warm-up epochs of 2 steps: global steps 0..3 → lr·1/4, 2/4, 3/4, 4/4; then cosine over the remaining 2 epochs.
    const schedule = warmup(2, { type: 'cosine' });
    const rates: number[] = [];
    for (let epoch = 0; epoch < 4; epoch++) {
      for (let step = 0; step < 2; step++) rates.push(scheduledLearningRate(schedule, 0.4, { epoch, step, stepsPerEpoch: 2, totalEpochs: 4 }));
    }
    expectClose(rates, [0.1, 0.2, 0.3, 0.4, 0.4, 0.4, 0.2, 0.2]);
    // Without `then` the rate stays at the base after warm-up.
    expect(scheduledLearningRate({ type: 'warmup', warmupEpochs: 1 }, 0.4, { epoch: 5, step: 1, stepsPerEpoch: 2, totalEpochs: 6 })).toBe(0.4);
  });

  it('rejects bad schedules and contexts with a typed error naming the field', () => {
    const rejection = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).code).toBe(ErrorCode.INVALID_ARGUMENT);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    const check = (schedule: unknown, totalEpochs = 10) => rejection(() => validateSchedule(schedule as ScheduleConfig, { baseLr: 0.1, totalEpochs }));
    expect(check({ type: 'linear' })).toBe("unknown schedule type 'linear'; valid types: constant, step, exponential, cosine, warmup");
    expect(check({ type: 'step', stepSize: 0, gamma: 0.5 })).toMatch(/schedule\.stepSize must be a whole number of epochs ≥ 1, got 0/);
    expect(check({ type: 'step', stepSize: 2 })).toMatch(/schedule\.gamma must be a finite number > 0, got undefined/);
    expect(check({ type: 'exponential', gamma: -1 })).toMatch(/gamma .* got -1/);
    expect(check({ type: 'cosine', minLr: 0.5 })).toMatch(/schedule\.minLr must be a number in \[0, lr = 0\.1\], got 0\.5/);
    expect(check({ type: 'warmup', warmupEpochs: 1.5 })).toMatch(/warmupEpochs must be a whole number of epochs ≥ 1, got 1\.5/);
    expect(check(warmup(2, { type: 'warmup', warmupEpochs: 1 }))).toMatch(/cannot be another warm-up/);
    expect(check(warmup(10, { type: 'cosine' }))).toMatch(/schedule\.then: cosine .* at least 1 epoch/);
    expect(check(warmup(2, { type: 'exponential', gamma: 0 }))).toMatch(/schedule\.then\.gamma/);
    expect(check(undefined)).toMatch(/schedule must be an object/);
    const at = (context: Partial<ScheduleContext>) =>
      rejection(() => scheduledLearningRate({ type: 'constant' }, 0.1, { epoch: 0, step: 0, stepsPerEpoch: 4, totalEpochs: 2, ...context }));
    expect(at({ step: 4 })).toMatch(/step must be a whole number in \[0, stepsPerEpoch = 4\)/);
    expect(at({ epoch: -1 })).toMatch(/epoch must be a whole number ≥ 0/);
    expect(at({ stepsPerEpoch: 0 })).toMatch(/stepsPerEpoch must be a whole number ≥ 1/);
  });
});

import { ConfigError, ErrorCode } from '../errors.js';
import { describe } from './optimizer-config.js';
import type { ScheduleConfig, ScheduleContext } from './types.js';

/** The schedule types `scheduledLearningRate` knows. */
export const SCHEDULE_TYPES: readonly ScheduleConfig['type'][] = Object.freeze(['constant', 'step', 'exponential', 'cosine', 'warmup']);

/**
 * The learning rate for one optimizer step: a pure function of the schedule, the base rate
 * (`OptimizerConfig.lr`) and where training is.
 *
 * When to evaluate it: before every optimizer step, with the 0-based epoch and the 0-based step
 * within that epoch, then assign the result to `optimizer.learningRate`. All schedules but
 * 'warmup' depend only on the epoch, so they are constant within an epoch (PyTorch's
 * `scheduler.step()` once per epoch); 'warmup' changes per step.
 *
 * With e = epoch, T = totalEpochs:
 * - constant: baseLr
 * - step: baseLr·gamma^⌊e / stepSize⌋ (PyTorch StepLR)
 * - exponential: baseLr·gammaᵉ (PyTorch ExponentialLR)
 * - cosine: minLr + (baseLr − minLr)·(1 + cos(π·e/T))/2 (PyTorch CosineAnnealingLR with
 *   T_max = T): baseLr in epoch 0, reaching minLr at the end of training; epochs past T stay at minLr.
 * - warmup: over the first W = warmupEpochs·stepsPerEpoch steps (global step
 *   g = e·stepsPerEpoch + step), baseLr·(g + 1)/W, so the last warm-up step runs at baseLr; afterwards
 *   `then` (default constant) as if training started after the warm-up: epoch e − warmupEpochs of
 *   T − warmupEpochs.
 *
 * @throws ConfigError (INVALID_ARGUMENT) for an invalid schedule or context (see `validateSchedule`).
 */
export function scheduledLearningRate(schedule: ScheduleConfig, baseLr: number, context: ScheduleContext): number {
  validateSchedule(schedule, { baseLr, totalEpochs: context.totalEpochs });
  checkContext(context);
  return evaluate(schedule, baseLr, context);
}

/**
 * Checks a schedule before training starts, so a bad one fails at once rather than at its first use.
 *
 * @param options.baseLr the optimizer's base learning rate (cosine's minLr may not exceed it).
 * @param options.totalEpochs the planned number of epochs (cosine anneals over them; warm-up must
 *   leave at least one for a following cosine).
 * @throws ConfigError (INVALID_ARGUMENT) naming the field: an unknown type (listing the valid ones),
 *   stepSize not a whole number ≥ 1, gamma not a finite number > 0, minLr outside [0, baseLr],
 *   warmupEpochs not a whole number ≥ 1, or a warm-up nested inside a warm-up.
 */
export function validateSchedule(schedule: ScheduleConfig, options: { baseLr: number; totalEpochs: number }, path = 'schedule'): void {
  if (typeof schedule !== 'object' || schedule === null) {
    fail(`${path} must be an object such as { type: 'cosine' }, got ${describe(schedule)}`);
  }
  switch (schedule.type) {
    case 'constant':
      return;
    case 'step':
      if (!Number.isInteger(schedule.stepSize) || schedule.stepSize < 1) {
        fail(`${path}.stepSize must be a whole number of epochs ≥ 1, got ${describe(schedule.stepSize)}`);
      }
      positive(schedule.gamma, `${path}.gamma`);
      return;
    case 'exponential':
      positive(schedule.gamma, `${path}.gamma`);
      return;
    case 'cosine': {
      const minLr = schedule.minLr ?? 0;
      if (typeof minLr !== 'number' || !(minLr >= 0 && minLr <= options.baseLr)) {
        fail(`${path}.minLr must be a number in [0, lr = ${options.baseLr}], got ${describe(minLr)}`);
      }
      if (!Number.isInteger(options.totalEpochs) || options.totalEpochs < 1) {
        fail(`${path}: cosine anneals over the run, so it needs at least 1 epoch to anneal over, got ${describe(options.totalEpochs)}`);
      }
      return;
    }
    case 'warmup': {
      if (!Number.isInteger(schedule.warmupEpochs) || schedule.warmupEpochs < 1) {
        fail(`${path}.warmupEpochs must be a whole number of epochs ≥ 1, got ${describe(schedule.warmupEpochs)}`);
      }
      const then = schedule.then ?? { type: 'constant' };
      if (then.type === 'warmup') fail(`${path}.then cannot be another warm-up; use one warm-up with more epochs`);
      // Only a cosine after warm-up needs epochs left to anneal over; the rest are defined for any epoch.
      const remaining = then.type === 'cosine' ? options.totalEpochs - schedule.warmupEpochs : options.totalEpochs;
      validateSchedule(then, { baseLr: options.baseLr, totalEpochs: remaining }, `${path}.then`);
      return;
    }
    default:
      fail(`unknown ${path} type ${describe((schedule as { type: unknown }).type)}; valid types: ${SCHEDULE_TYPES.join(', ')}`);
  }
}

function evaluate(schedule: ScheduleConfig, baseLr: number, context: ScheduleContext): number {
  const { epoch } = context;
  switch (schedule.type) {
    case 'constant':
      return baseLr;
    case 'step':
      return baseLr * schedule.gamma ** Math.floor(epoch / schedule.stepSize);
    case 'exponential':
      return baseLr * schedule.gamma ** epoch;
    case 'cosine': {
      const minLr = schedule.minLr ?? 0;
      const progress = Math.min(epoch, context.totalEpochs) / context.totalEpochs;
      return minLr + ((baseLr - minLr) * (1 + Math.cos(Math.PI * progress))) / 2;
    }
    case 'warmup': {
      const warmupSteps = schedule.warmupEpochs * context.stepsPerEpoch;
      const globalStep = epoch * context.stepsPerEpoch + context.step;
      if (globalStep < warmupSteps) return (baseLr * (globalStep + 1)) / warmupSteps;
      return evaluate(schedule.then ?? { type: 'constant' }, baseLr, {
        ...context,
        epoch: epoch - schedule.warmupEpochs,
        totalEpochs: context.totalEpochs - schedule.warmupEpochs,
      });
    }
  }
}

function checkContext(context: ScheduleContext): void {
  if (typeof context !== 'object' || context === null) fail(`schedule context must be { epoch, step, stepsPerEpoch, totalEpochs }, got ${describe(context)}`);
  const { epoch, step, stepsPerEpoch, totalEpochs } = context;
  if (!Number.isInteger(stepsPerEpoch) || stepsPerEpoch < 1) fail(`schedule: stepsPerEpoch must be a whole number ≥ 1, got ${describe(stepsPerEpoch)}`);
  if (!Number.isInteger(totalEpochs) || totalEpochs < 1) fail(`schedule: totalEpochs must be a whole number ≥ 1, got ${describe(totalEpochs)}`);
  if (!Number.isInteger(epoch) || epoch < 0) fail(`schedule: epoch must be a whole number ≥ 0 (0-based), got ${describe(epoch)}`);
  if (!Number.isInteger(step) || step < 0 || step >= stepsPerEpoch) {
    fail(`schedule: step must be a whole number in [0, stepsPerEpoch = ${stepsPerEpoch}) (0-based, within the epoch), got ${describe(step)}`);
  }
}

function positive(value: unknown, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(`${name} must be a finite number > 0, got ${describe(value)}`);
}

function fail(message: string): never {
  throw new ConfigError(ErrorCode.INVALID_ARGUMENT, message);
}

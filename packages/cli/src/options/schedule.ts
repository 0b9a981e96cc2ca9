import type { ScheduleConfig } from '@scratchnet/core';
import { badFlag } from '../errors/cli-error.js';

const FORMS = ['constant', 'cosine', 'cosine:<minLr>', 'step:<every>:<gamma>', 'exp:<gamma>', 'warmup:<epochs>[:<then>]'];

/**
 * `--schedule` spellings: `constant`, `cosine` / `cosine:1e-5`, `step:5:0.5` (× 0.5 every 5
 * epochs), `exp:0.95`, `warmup:2` or `warmup:2:cosine` (linear warm-up, then another schedule).
 */
export function parseSchedule(text: string): ScheduleConfig {
  if (typeof text !== 'string') throw badFlag(`--schedule: expected text such as 'cosine', got ${typeof text}`);
  const [kind, ...args] = text.trim().toLowerCase().split(':');
  const num = (s: string | undefined, what: string) => {
    const n = Number(s);
    if (s === undefined || s === '' || !Number.isFinite(n) || n < 0) {
      throw badFlag(`--schedule ${text}: ${what} must be a number ≥ 0; forms: ${FORMS.join(', ')}`);
    }
    return n;
  };
  // Counts of epochs: whole numbers ≥ 1 (`step:0` would never step, `step:2.5` is not a count).
  const count = (s: string | undefined, what: string) => {
    const n = Number(s);
    if (s === undefined || s.trim() === '' || !Number.isInteger(n) || n < 1 || n > 1_000_000) {
      throw badFlag(`--schedule ${text}: ${what} must be a whole number of epochs ≥ 1; forms: ${FORMS.join(', ')}`);
    }
    return n;
  };
  switch (kind) {
    case 'constant':
    case 'none':
      return { type: 'constant' };
    case 'cosine':
      return args.length ? { type: 'cosine', minLr: num(args[0], 'the final learning rate') } : { type: 'cosine' };
    case 'step':
      return { type: 'step', stepSize: count(args[0] ?? '5', 'the step size'), gamma: num(args[1] ?? '0.5', 'gamma') };
    case 'exp':
    case 'exponential':
      return { type: 'exponential', gamma: num(args[0] ?? '0.95', 'gamma') };
    case 'warmup': {
      const warmupEpochs = count(args[0] ?? '1', 'the warm-up length');
      const rest = args.slice(1).join(':');
      // biome-ignore lint/suspicious/noThenProperty: `then` is core's ScheduleConfig field name.
      return rest ? { type: 'warmup', warmupEpochs, then: parseSchedule(rest) } : { type: 'warmup', warmupEpochs };
    }
    default:
      throw badFlag(`--schedule: unknown schedule '${text}'; use one of ${FORMS.join(', ')}`);
  }
}

/** The inverse of parseSchedule, for printing and CSV rows. */
export function formatSchedule(schedule: ScheduleConfig): string {
  switch (schedule.type) {
    case 'constant':
      return 'constant';
    case 'cosine':
      return schedule.minLr !== undefined ? `cosine:${schedule.minLr}` : 'cosine';
    case 'step':
      return `step:${schedule.stepSize}:${schedule.gamma}`;
    case 'exponential':
      return `exp:${schedule.gamma}`;
    case 'warmup':
      return schedule.then ? `warmup:${schedule.warmupEpochs}:${formatSchedule(schedule.then)}` : `warmup:${schedule.warmupEpochs}`;
  }
}

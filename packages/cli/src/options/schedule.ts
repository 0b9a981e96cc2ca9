import { type ScheduleConfig, parseScheduleText } from '@scratchnet/core';
import { badFlag } from '../errors/cli-error.js';

/**
 * `--schedule` spellings: `constant`, `cosine` / `cosine:1e-5`, `step:5:0.5` (× 0.5 every 5
 * epochs), `exp:0.95`, `warmup:2` or `warmup:2:cosine` (linear warm-up, then another schedule).
 * Core's parser (the desktop's too), with its message said of the flag.
 */
export function parseSchedule(text: string): ScheduleConfig {
  try {
    return parseScheduleText(text);
  } catch (error) {
    throw badFlag(`--${(error as Error).message}`);
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

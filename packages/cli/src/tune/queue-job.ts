import { createHash } from 'node:crypto';
import type { EpochRecord } from '@scratchnet/core';
import type { TrialConfig } from './search-space.js';
import type { TrialResult } from './trial-csv.js';

/** The one BullMQ queue every `worker` serves and every `tune --queue` search fills. */
export const TRIAL_QUEUE = 'scratchnet-trials';

/** Everything a worker needs to run one trial (no paths, no secrets: workers resolve data themselves). */
export interface QueueTrialData {
  /** The search (`tune --name`): part of the job id, so two searches never share a trial. */
  search: string;
  config: TrialConfig;
  seed: number;
  epochs: number;
  dataset: string;
  valSplit: number;
  trainLimit?: number;
}

/** A finished trial as the worker returns it (the job's return value; the weights are stored apart). */
export interface QueueTrialReturn {
  result: TrialResult;
  curve: number[];
  history: EpochRecord[];
  /** Where the weights went: 'redis' or 'artifacts' (a shared folder). */
  weights: 'redis' | 'artifacts';
  /** The checkpoint's size in bytes. */
  weightBytes: number;
  /** The worker that ran it (host:pid), for the record. */
  worker: string;
}

/** Per-epoch progress a worker reports through job.updateProgress. */
export interface QueueTrialProgress {
  epoch: number;
  epochs: number;
  valAccuracy: number;
  loss: number;
}

/** A stable JSON text: keys sorted at every level, so the same trial always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The job id of a trial: `t-` and 32 hex digits of the SHA-256 of its canonical description. The
 * same search run again produces the same ids, so BullMQ keeps one job per trial and a re-run
 * adds only the missing ones (BullMQ ignores an add whose id exists).
 */
export function trialJobId(data: QueueTrialData): string {
  const { search, config, seed, epochs, dataset, valSplit, trainLimit } = data;
  const described = { search, config: { ...config, arch: config.arch || undefined }, seed, epochs, dataset, valSplit, trainLimit };
  return `t-${createHash('sha256').update(canonicalJson(described)).digest('hex').slice(0, 32)}`;
}

import type { EpochRecord } from '@scratchnet/core';
import type { DataRequest } from '../lib/training-data.js';
import type { TrialConfig } from './search-space.js';
import { type TrialResult, compareTrials } from './trial-csv.js';

/** One trial of a search: a configuration and a seed. */
export interface TrialTask {
  config: TrialConfig;
  seed: number;
}

/** Trained weights by state_dict name, as a trial hands them back. */
export type TrialTensors = Array<{ name: string; shape: number[]; data: Float32Array }>;

/** A trial that has a result, from this run or (queue) an earlier run of the same search. */
export interface FinishedTrial {
  result: TrialResult;
  /** Validation accuracy after each epoch the trial ran. */
  curve: number[];
  /** Each epoch the trial ran, as core's fit reported it (the saved model's training history). */
  history: EpochRecord[];
  /** Why it failed (queue: the job's failed reason), for a trial that has no metrics of its own. */
  reason?: string;
  /** True when an earlier run of the same search had already finished it. */
  reused: boolean;
  /** Its trained weights, or undefined when they were not kept (diverged, or an earlier local run). */
  weights(): Promise<TrialTensors | undefined>;
}

/** What every trial of a search shares. */
export interface SearchSettings {
  epochs: number;
  /** The data: workers load it themselves (`dataDir` is the coordinator's; queue workers use their own). */
  request: DataRequest & { valSplit: number };
}

/**
 * Runs trials somewhere and reports each one once it has a result. Two executors: the local pool
 * of worker threads (`LocalExecutor`, the default) and a BullMQ queue served by `scratchnet-cli
 * worker` processes on any number of machines (`QueueExecutor`).
 */
export interface TrialExecutor {
  /** Words for the start line, e.g. '4 workers' or "queue redis://host:6379/0, search 'lr-sweep'". */
  readonly where: string;
  run(tasks: readonly TrialTask[], settings: SearchSettings, onFinished: (trial: FinishedTrial) => void): Promise<void>;
  /** Releases connections; called after the summary has read the best trial's weights. */
  close(): Promise<void>;
}

/** The tune engine: runs `tasks` on `executor`; returns every finished trial and the best one. */
export async function runSearch(
  executor: TrialExecutor,
  tasks: readonly TrialTask[],
  settings: SearchSettings,
  onFinished: (trial: FinishedTrial) => void = () => {},
): Promise<{ finished: FinishedTrial[]; best?: FinishedTrial }> {
  const finished: FinishedTrial[] = [];
  let best: FinishedTrial | undefined;
  if (tasks.length > 0) {
    await executor.run(tasks, settings, (trial) => {
      finished.push(trial);
      if (trial.result.status === 'done' && (!best || compareTrials(trial.result, best.result) < 0)) best = trial;
      onFinished(trial);
    });
  }
  return { finished, best };
}

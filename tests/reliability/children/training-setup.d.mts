import type { Backend, Dataset, FitOptions, Sequential, TrainingHistory } from '@scratchnet/core';

export interface SyntheticSpec {
  count: number;
  features: number;
  classes: number;
  seed: number;
  /** Another sample of the same blobs (e.g. 1 for validation). */
  split?: number;
}
export interface Task {
  architecture: string;
  dropout?: number;
  data: SyntheticSpec;
  validation?: SyntheticSpec;
  fit: Pick<FitOptions, 'batchSize' | 'optimizer' | 'schedule' | 'seed'>;
}
export function syntheticDataset(spec: SyntheticSpec): Dataset;
export const TASKS: { 'kill-save': Task; resume: Task };
export function buildTaskModel(task: Task, backend?: Backend): Sequential;
export function classNamesOf(task: Task): string[];
export function weightsAndHistoryHash(model: Sequential, history: TrainingHistory): string;

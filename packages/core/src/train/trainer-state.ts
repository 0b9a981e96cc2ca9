import { ConfigError, ErrorCode } from '../errors.js';
import type { TrainerState, TrainingHistory } from './types.js';

export function copyHistory(history: TrainingHistory): TrainingHistory {
  return { ...history, epochs: history.epochs.map((e) => ({ ...e })) };
}

/** Checks that a TrainerState belongs to a run with these settings before resuming from it. */
export function checkResumable(state: TrainerState, expected: { seed: number; batchSize: number; datasetSize: number }): void {
  const fail = (message: string): never => {
    throw new ConfigError(ErrorCode.INVALID_STATE, `resumeFrom: ${message}`);
  };
  if (state?.version !== 1) fail(`expected a TrainerState with version 1, got ${JSON.stringify(state?.version)}`);
  for (const key of ['seed', 'batchSize', 'datasetSize'] as const) {
    if (state[key] !== expected[key]) {
      fail(`the state was saved with ${key} ${state[key]} but this run has ${expected[key]}; resume with the same data and options`);
    }
  }
  const batches = Math.ceil(state.datasetSize / state.batchSize);
  if (!(Number.isInteger(state.epoch) && state.epoch >= 0 && Number.isInteger(state.batch) && state.batch >= 0 && state.batch <= batches)) {
    fail(`epoch ${state.epoch} / batch ${state.batch} is not a position in a run of ${batches} batches per epoch`);
  }
}

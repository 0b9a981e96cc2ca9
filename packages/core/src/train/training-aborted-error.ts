import { ErrorCode, TrainingError } from '../errors.js';
import type { TrainerState } from './types.js';

/**
 * `fit` was aborted through its AbortSignal (code ABORTED). `state` resumes the run exactly
 * where it stopped: `fit(model, data, { ...options, resumeFrom: error.state })` with the model
 * (or a copy of its weights) as it was when this was thrown.
 */
export class TrainingAbortedError extends TrainingError {
  constructor(
    readonly state: TrainerState,
    reason?: unknown,
  ) {
    super(
      ErrorCode.ABORTED,
      `training aborted at epoch ${state.epoch + 1}, batch ${state.batch}; resume with fit(..., { resumeFrom: error.state })`,
      { cause: reason },
    );
    this.name = 'TrainingAbortedError';
  }
}

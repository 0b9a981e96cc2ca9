import type { ModelSnapshot } from '../model/model-snapshot.js';
import type { TrainConfig } from './worker-protocol.js';

/**
 * Whether `snapshot` can be resumed exactly with these settings and this much training data
 * (the trainer state is only valid for the same optimizer, seed, batch size and data set size).
 */
export function canResume(snapshot: ModelSnapshot | undefined, config: TrainConfig, trainSize: number): boolean {
  const state = snapshot?.trainer;
  return (
    !!state &&
    state.optimizer.type === config.optimizer &&
    state.seed === config.seed &&
    state.batchSize === config.batchSize &&
    state.datasetSize === trainSize &&
    state.epoch < config.epochs
  );
}

import { checkRunOptimizer } from '@scratchnet/core';
import type { TrainSettings } from './train-settings.js';
import { asFlagError } from './parse-values.js';

/**
 * Checks the optimizer flags together, before any data is loaded: core's rule (the desktop's Train
 * form checks the same), failing as a bad flag. The message names flags, not config fields.
 */
export function checkOptimizerSettings(settings: Pick<TrainSettings, 'optimizer' | 'lr' | 'momentum' | 'weightDecay'>): void {
  asFlagError(checkRunOptimizer)(settings);
}

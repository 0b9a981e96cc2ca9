import { resolveOptimizerConfig } from '@scratchnet/core';
import { badFlag } from '../errors/cli-error.js';
import type { TrainSettings } from './train-settings.js';

/** Optimizers that take --momentum (core refuses the option for the others). */
const WITH_MOMENTUM: readonly string[] = ['sgd', 'momentum'];

/**
 * Checks the optimizer flags together, before any data is loaded: core would refuse the same
 * combination, but only when training starts. The message names flags, not config fields.
 */
export function checkOptimizerSettings(settings: Pick<TrainSettings, 'optimizer' | 'lr' | 'momentum' | 'weightDecay'>): void {
  if (settings.momentum !== undefined && !WITH_MOMENTUM.includes(settings.optimizer)) {
    throw badFlag(`--momentum applies to --optimizer sgd or momentum, not ${settings.optimizer}; drop --momentum, or use --optimizer momentum`);
  }
  try {
    resolveOptimizerConfig({ type: settings.optimizer, lr: settings.lr, momentum: settings.momentum, weightDecay: settings.weightDecay });
  } catch (error) {
    throw badFlag(`optimizer flags: ${(error as Error).message}`);
  }
}

export type * from './types.js';
export { Adam } from './adam.js';
export { BaseOptimizer } from './base-optimizer.js';
export { clipGradientNorm, globalGradientNorm } from './clip.js';
export { createOptimizer } from './create-optimizer.js';
export { resolveOptimizerConfig } from './optimizer-config.js';
export { RmsProp } from './rmsprop.js';
export { SCHEDULE_TYPES, scheduledLearningRate, validateSchedule } from './schedules.js';
export { Sgd } from './sgd.js';

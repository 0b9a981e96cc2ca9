export * from './errors.js';
export * from './random.js';
export * from './tensor.js';
export * from './parameter.js';
export * from './backend/index.js';
export type * from './optim/types.js';
export type * from './data/dataset.js';

export * from './errors.js';
export * from './random.js';
export * from './tensor.js';
export * from './backend/index.js';

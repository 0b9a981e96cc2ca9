// Image preprocessing shared by the CLI's `predict` and the desktop canvas (owned by the CLI work).
export * from './preprocess/index.js';

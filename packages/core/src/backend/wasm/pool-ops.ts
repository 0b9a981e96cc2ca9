import type { KernelExports } from './kernel-exports.js';

/**
 * The kernel exports the thread pool runs, by op number: the job block's op word is an index into
 * this list, in the caller (thread-pool.ts) and in every worker (worker-source.ts builds its table
 * from it), so the two cannot disagree. A new split kernel is one more name here.
 */
export const POOL_OPS = [
  'gemm',
  'gemmBatch',
  'adamUpdate',
  'im2colBatches',
  'col2imBatches',
  'channelMajorToBatchActivationBatches',
  'activationForward',
  'activationBackward',
  'convPad',
  'convDirectForward',
  'convDirectWeightGradient',
  'maxPoolForward',
  'maxPoolBackward',
  'winogradInputChannels',
  'winogradOutputChannels',
  'winogradOutputGradientChannels',
  'winogradInputGradientChannels',
  'winograd5InputChannels',
  'winograd5OutputChannels',
  'winograd5OutputGradientChannels',
  'winograd5InputGradientChannels',
] as const satisfies readonly (keyof KernelExports)[];

export type PoolOp = (typeof POOL_OPS)[number];

/** Op numbers by export name. */
export const OP = Object.fromEntries(POOL_OPS.map((name, index) => [name, index])) as Record<PoolOp, number>;

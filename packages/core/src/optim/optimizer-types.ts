/**
 * The optimizers `createOptimizer` builds, in the order error messages and menus list them. The
 * one list: the CLI's `--optimizer` choices, the desktop's menu and model-format's schemas read it.
 */
export const OPTIMIZER_TYPES = Object.freeze(['sgd', 'momentum', 'rmsprop', 'adam', 'adamw'] as const);

export type OptimizerType = (typeof OPTIMIZER_TYPES)[number];

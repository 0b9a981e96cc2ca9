import { ConfigError, ErrorCode } from '../errors.js';
import type { Backend } from './backend.js';
import { createJsBackend } from './js/js-backend.js';

export type { ActivationKind, Backend } from './backend.js';
export { createJsBackend } from './js/js-backend.js';

let current: Backend | null = null;

/**
 * The backend new models, optimizers and tensors use. Defaults to the fastest available one
 * (the WebAssembly backend replaces this default once loaded; see `useBackend`).
 */
export function getBackend(): Backend {
  if (!current) current = createJsBackend();
  return current;
}

/** Makes `backend` the default for everything created afterwards. */
export function setBackend(backend: Backend): void {
  if (!backend || typeof backend.gemm !== 'function') {
    throw new ConfigError(ErrorCode.INVALID_ARGUMENT, 'setBackend: expected a Backend object (e.g. createJsBackend())');
  }
  current = backend;
}

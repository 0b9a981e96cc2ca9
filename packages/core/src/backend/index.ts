import { ConfigError, ErrorCode } from '../errors.js';
import type { Backend } from './backend.js';
import { createJsBackend } from './js/js-backend.js';
import { type BackendChoice, createFastestBackend } from './select-backend.js';

export { type ActivationKind, type Backend, WINDOW_GEOMETRY_FIELDS, type WindowGeometry } from './backend.js';
export { KERNEL_NAMES, KERNEL_TABLE, type KernelName } from './kernel-table.js';
export { createJsBackend } from './js/js-backend.js';
export { type BackendChoice, createFastestBackend } from './select-backend.js';
export { wasmRelaxedSimdSupported, wasmSimdSupported } from './wasm/load-module.js';
export type { WorkerFactory, WorkerHandle } from './wasm/thread-pool.js';
export { createWasmBackend, setThreadSplits, type ThreadSplits, type WasmBackend, type WasmBackendOptions } from './wasm/wasm-backend.js';

let current: Backend | null = null;

/**
 * The backend new models, optimizers and tensors use. Defaults to the fastest available one
 * (the WebAssembly backend replaces this default once `useFastestBackend()` has resolved).
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

/**
 * Installs the fastest backend this engine supports as the default and returns it: WebAssembly
 * SIMD (relaxed SIMD when validated) where available, else the reference backend. Honours
 * `SCRATCHNET_BACKEND=js|wasm` and `SCRATCHNET_THREADS=n` where the host has environment variables.
 */
export async function useFastestBackend(choice: BackendChoice = {}): Promise<Backend> {
  const backend = await createFastestBackend(choice);
  setBackend(backend);
  return backend;
}

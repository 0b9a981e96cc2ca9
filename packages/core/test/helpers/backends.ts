import type { Backend } from '../../src/backend/backend.js';
import { createJsBackend, createWasmBackend } from '../../src/backend/index.js';

/**
 * Every backend this engine can run — the reference, and WebAssembly where the platform supports
 * it — so kernel-level tests (optimizers, fit, PyTorch references) cover each.
 */
export async function availableBackends(): Promise<Backend[]> {
  const found: Backend[] = [createJsBackend()];
  try {
    found.push(await createWasmBackend());
  } catch (error) {
    if ((error as { code?: string }).code !== 'BACKEND_UNAVAILABLE') throw error;
  }
  return found;
}

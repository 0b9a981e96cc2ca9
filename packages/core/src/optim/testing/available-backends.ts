import type { Backend } from '../../backend/backend.js';
import * as backends from '../../backend/index.js';

/**
 * Test support (not exported from the package): every backend this engine can run — the
 * reference, and WebAssembly where it is built and supported — so optimizer tests cover each.
 */
export async function availableBackends(): Promise<Backend[]> {
  const found: Backend[] = [backends.createJsBackend()];
  // Looked up at run time so the optimizer tests do not depend on the WebAssembly backend existing.
  const createWasm = (backends as { createWasmBackend?: () => Promise<Backend> }).createWasmBackend;
  if (createWasm) {
    try {
      found.push(await createWasm());
    } catch (error) {
      if ((error as { code?: string }).code !== 'BACKEND_UNAVAILABLE') throw error;
    }
  }
  return found;
}

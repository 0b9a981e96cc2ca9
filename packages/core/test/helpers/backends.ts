import type { Backend } from '../../src/backend/backend.js';
import * as backends from '../../src/backend/index.js';

/** The reference backend, plus the WebAssembly one where this engine supports it. */
export async function availableBackends(): Promise<Backend[]> {
  const found: Backend[] = [backends.createJsBackend()];
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

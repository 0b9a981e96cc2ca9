import { type Backend, createJsBackend, createWasmBackend } from '@scratchnet/core';

/** The backends this machine can run: always the JS reference, and WASM where it instantiates. */
export async function availableBackends(): Promise<Array<{ name: string; backend: Backend }>> {
  const list: Array<{ name: string; backend: Backend }> = [{ name: 'js', backend: createJsBackend() }];
  try {
    list.push({ name: 'wasm', backend: await createWasmBackend() });
  } catch {
    // No WebAssembly SIMD here: the JS backend alone is tested, and the summary says so.
  }
  return list;
}

import { ConfigError, ErrorCode } from '../errors.js';
import type { Backend } from './backend.js';
import { createJsBackend } from './js/js-backend.js';
import { wasmSimdSupported } from './wasm/load-module.js';
import { environmentVariable } from './wasm/host-environment.js';
import { createWasmBackend, type WasmBackendOptions } from './wasm/wasm-backend.js';

/** Options for {@link useFastestBackend} / {@link createFastestBackend}. */
export interface BackendChoice extends WasmBackendOptions {
  /**
   * 'wasm', 'js', or 'auto' (default): WebAssembly SIMD where the engine validates it, else js.
   * The environment variable `SCRATCHNET_BACKEND=js|wasm` overrides 'auto' where the host has
   * environment variables (Node, Electron); `SCRATCHNET_THREADS=n` sets `threads` when the option is not given.
   */
  backend?: 'auto' | 'wasm' | 'js';
}

function requested(choice: BackendChoice): 'auto' | 'wasm' | 'js' {
  if (choice.backend && choice.backend !== 'auto') return choice.backend;
  const fromEnv = environmentVariable('SCRATCHNET_BACKEND')?.trim().toLowerCase();
  if (!fromEnv || fromEnv === 'auto') return 'auto';
  if (fromEnv === 'js' || fromEnv === 'wasm') return fromEnv;
  throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `SCRATCHNET_BACKEND must be 'js', 'wasm' or 'auto', got '${fromEnv}'`);
}

function threadsFrom(choice: BackendChoice): number | undefined {
  if (choice.threads !== undefined) return choice.threads;
  const fromEnv = environmentVariable('SCRATCHNET_THREADS');
  if (!fromEnv) return undefined;
  const threads = Number(fromEnv);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new ConfigError(ErrorCode.INVALID_ARGUMENT, `SCRATCHNET_THREADS must be a whole number ≥ 1, got '${fromEnv}'`);
  }
  return threads;
}

/** The backend {@link useFastestBackend} would install, without installing it. */
export async function createFastestBackend(choice: BackendChoice = {}): Promise<Backend> {
  const which = requested(choice);
  if (which === 'js') return createJsBackend();
  if (which === 'auto' && !wasmSimdSupported()) return createJsBackend();
  return createWasmBackend({ ...choice, threads: threadsFrom(choice) });
}

/**
 * The few WebAssembly, Worker and environment globals the wasm backend touches, typed locally.
 *
 * core compiles with `"lib": ["ES2022"]` and `"types": []`, which declare none of them, and an
 * ambient `declare namespace WebAssembly` here would clash with DOM or Node typings in packages
 * that include core's sources in their own compilation. So the globals are read from
 * `globalThis` through these narrow interfaces instead.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

export interface WasmModule {
  readonly __brand?: 'WebAssembly.Module';
}

export type WasmExports = Record<string, unknown>;

export interface WasmInstance {
  readonly exports: WasmExports;
}

export interface WasmNamespace {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** The WebAssembly global, or null where the environment has none. */
export function wasmGlobal(): WasmNamespace | null {
  const wasm = (globalThis as { WebAssembly?: WasmNamespace }).WebAssembly;
  return wasm && typeof wasm.validate === 'function' ? wasm : null;
}

/** Bytes in one WebAssembly page. */
export const PAGE_BYTES = 65536;

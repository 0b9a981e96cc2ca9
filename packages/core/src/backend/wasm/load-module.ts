import * as variants from '../../generated/wasm-modules.js';
import { decodeBase64 } from './base64.js';
import { type WasmModule, type WasmNamespace, wasmGlobal } from './wasm-api.js';

/** Which compiled variant of asm/kernels.ts to run. */
export interface KernelVariant {
  /** Fused multiply-add through relaxed SIMD (else plain SIMD multiply then add). */
  readonly relaxedSimd: boolean;
  /** Imports a shared memory (needed for threads, and so memory growth never detaches views). */
  readonly shared: boolean;
}

const compiled = new Map<string, WasmModule | null>();

function variantSource(variant: KernelVariant): string {
  if (variant.relaxedSimd) return variant.shared ? variants.relaxedSimdShared : variants.relaxedSimd;
  return variant.shared ? variants.simdShared : variants.simd;
}

function key(variant: KernelVariant): string {
  return `${variant.relaxedSimd ? 'relaxed' : 'simd'}/${variant.shared ? 'shared' : 'unshared'}`;
}

/**
 * The compiled module for a variant, or null when this engine rejects it (`WebAssembly.validate`
 * is the feature test: no SIMD, no relaxed SIMD, or no threads). Compiled once per JavaScript realm.
 */
export function compileVariant(variant: KernelVariant, wasm: WasmNamespace | null = wasmGlobal()): WasmModule | null {
  if (!wasm) return null;
  const id = key(variant);
  if (compiled.has(id)) return compiled.get(id) ?? null;
  const bytes = decodeBase64(variantSource(variant));
  let module: WasmModule | null = null;
  if (wasm.validate(bytes)) {
    try {
      module = new wasm.Module(bytes);
    } catch {
      module = null;
    }
  }
  compiled.set(id, module);
  return module;
}

/** True when this engine runs WebAssembly SIMD (the minimum the wasm backend needs). */
export function wasmSimdSupported(): boolean {
  return compileVariant({ relaxedSimd: false, shared: false }) !== null;
}

/** True when this engine also accepts relaxed SIMD (e.g. Chromium, or Node with a flag). */
export function wasmRelaxedSimdSupported(): boolean {
  return compileVariant({ relaxedSimd: true, shared: false }) !== null;
}

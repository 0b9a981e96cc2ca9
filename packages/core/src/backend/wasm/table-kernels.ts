import type { Backend } from '../backend.js';
import { KERNEL_TABLE, type KernelName } from '../kernel-table.js';
import { WINDOW_GEOMETRY_FIELDS, type WindowGeometry } from '../backend.js';
import { ACTIVATION_CODE } from './kernel-exports.js';
import type { MemoryArena } from './memory-arena.js';
import type { Staging } from './staging.js';
import type { WasmExports } from './wasm-api.js';

type View = Float32Array | Int32Array;
type AnyKernel = (...args: unknown[]) => unknown;

/**
 * Wasm wrappers generated from {@link KERNEL_TABLE}: each export takes the Backend method's
 * arguments in order, with buffers as byte offsets (0 for null or empty), booleans as 0/1, an
 * activation as its code and a window geometry as its twelve integers. Buffers from the backend's
 * own memory go straight in; others are copied through `staging`; if even that fails (memory
 * full), or the module has no such export, the reference kernel runs.
 */
export function tableKernels<K extends KernelName>(
  names: readonly K[],
  exports: WasmExports,
  arena: MemoryArena,
  staging: Staging,
  reference: Backend,
): Pick<Backend, K> {
  const kernels: Partial<Record<KernelName, AnyKernel>> = {};
  for (const name of names) {
    const fallback = (reference[name] as AnyKernel).bind(reference);
    const exported = exports[name];
    kernels[name] = typeof exported === 'function' ? wrap(name, exported as AnyKernel, arena, staging, fallback) : fallback;
  }
  return kernels as unknown as Pick<Backend, K>;
}

/** Number of WebAssembly parameters a table kernel takes (a geometry counts twelve). */
export function wasmArity(name: KernelName): number {
  return (KERNEL_TABLE[name].args as readonly string[]).reduce((n, kind) => n + (kind === 'geometry' ? WINDOW_GEOMETRY_FIELDS.length : 1), 0);
}

function wrap(name: KernelName, exported: AnyKernel, arena: MemoryArena, staging: Staging, fallback: AnyKernel): AnyKernel {
  const declaration = KERNEL_TABLE[name];
  const kinds = declaration.args as readonly string[];
  const buffers = kinds.flatMap((kind, i) => (kind === 'in' || kind === 'out' ? [i] : []));
  const lengths = declaration.lengths as (...args: unknown[]) => number[];
  const encode = (args: unknown[], pointers: number[] | null): unknown[] => {
    const out: unknown[] = [];
    let buffer = 0;
    for (let i = 0; i < kinds.length; i++) {
      const value = args[i];
      switch (kinds[i]) {
        case 'in':
        case 'out': {
          const view = value as View | null;
          out.push(pointers ? pointers[buffer] : view && view.length > 0 ? view.byteOffset : 0);
          buffer++;
          break;
        }
        case 'bool':
          out.push(value ? 1 : 0);
          break;
        case 'activation':
          out.push(ACTIVATION_CODE[value as keyof typeof ACTIVATION_CODE]);
          break;
        case 'geometry':
          for (const field of WINDOW_GEOMETRY_FIELDS) out.push((value as WindowGeometry)[field]);
          break;
        default:
          out.push(value);
      }
    }
    return out;
  };
  return (...args: unknown[]) => {
    let inside = true;
    for (const i of buffers) {
      const view = args[i] as View | null;
      if (view !== null && view.length > 0 && !arena.contains(view)) {
        inside = false;
        break;
      }
    }
    if (inside) return exported(...encode(args, null));
    const spans = lengths(...args);
    const staged = staging.run(
      buffers.map((i, j) => {
        const view = args[i] as View | null;
        return { view: view && view.length > 0 ? view : null, length: spans[j], output: kinds[i] === 'out' };
      }),
      (pointers) => ({ value: exported(...encode(args, pointers)) }),
    );
    return staged ? staged.value : fallback(...args);
  };
}

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

/** Most WebAssembly arguments any table kernel takes (batchNormForward and the pooling kernels: 15). */
const MAX_WASM_ARITY = 16;
/** Most Backend arguments any table kernel takes (batchNormForward: 15). */
const MAX_ARGS = 15;

function wrap(name: KernelName, exported: AnyKernel, arena: MemoryArena, staging: Staging, fallback: AnyKernel): AnyKernel {
  const declaration = KERNEL_TABLE[name];
  const kinds = declaration.args as readonly string[];
  const buffers = kinds.flatMap((kind, i) => (kind === 'in' || kind === 'out' ? [i] : []));
  const lengths = declaration.lengths as (...args: unknown[]) => number[];
  if (wasmArity(name) > MAX_WASM_ARITY || kinds.length > MAX_ARGS) throw new Error(`tableKernels: ${name} takes too many arguments for the wrapper`);
  // The fast path allocates nothing: the arguments are copied into one reused array, encoded into
  // another and passed by position (numbers as the caller's own values, so none is boxed anew).
  const given: unknown[] = new Array(MAX_ARGS).fill(null);
  const encoded: unknown[] = new Array(MAX_WASM_ARITY).fill(0);
  const encode = (args: readonly unknown[], pointers: number[] | null, out: unknown[]): unknown[] => {
    let at = 0;
    let buffer = 0;
    for (let i = 0; i < kinds.length; i++) {
      const value = args[i];
      switch (kinds[i]) {
        case 'in':
        case 'out': {
          const view = value as View | null;
          out[at++] = pointers ? pointers[buffer] : view && view.length > 0 ? view.byteOffset : 0;
          buffer++;
          break;
        }
        case 'bool':
          out[at++] = value ? 1 : 0;
          break;
        case 'activation':
          out[at++] = ACTIVATION_CODE[value as keyof typeof ACTIVATION_CODE];
          break;
        case 'geometry':
          for (const field of WINDOW_GEOMETRY_FIELDS) out[at++] = (value as WindowGeometry)[field];
          break;
        default:
          out[at++] = value;
      }
    }
    return out;
  };
  const call = (e: unknown[]): unknown => exported(e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7], e[8], e[9], e[10], e[11], e[12], e[13], e[14], e[15]);
  const staged = (args: unknown[]): unknown => {
    const spans = lengths(...args);
    const result = staging.run(
      buffers.map((i, j) => {
        const view = args[i] as View | null;
        return { view: view && view.length > 0 ? view : null, length: spans[j], output: kinds[i] === 'out' };
      }),
      (pointers) => ({ value: call(encode(args, pointers, new Array(MAX_WASM_ARITY).fill(0))) }),
    );
    return result ? result.value : fallback(...args);
  };
  // Fixed parameters, not a rest parameter or `arguments`: either makes V8 allocate per call.
  return (a0?: unknown, a1?: unknown, a2?: unknown, a3?: unknown, a4?: unknown, a5?: unknown, a6?: unknown, a7?: unknown,
    a8?: unknown, a9?: unknown, a10?: unknown, a11?: unknown, a12?: unknown, a13?: unknown, a14?: unknown): unknown => {
    given[0] = a0; given[1] = a1; given[2] = a2; given[3] = a3; given[4] = a4; given[5] = a5; given[6] = a6; given[7] = a7;
    given[8] = a8; given[9] = a9; given[10] = a10; given[11] = a11; given[12] = a12; given[13] = a13; given[14] = a14;
    for (const i of buffers) {
      const view = given[i] as View | null;
      if (view !== null && view.length > 0 && !arena.contains(view)) return staged(given.slice(0, kinds.length));
    }
    return call(encode(given, null, encoded));
  };
}

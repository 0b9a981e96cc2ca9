import type { RawTensor } from './dtypes.js';
import { float32Tensor, toFloat32 } from './dtypes.js';
import { FormatError, FormatErrorCode } from './errors.js';

/**
 * Turns a state object (e.g. core's TrainerState: counters, RNG words, maybe weight snapshots)
 * into JSON plus F32 tensors, losslessly: each Float32Array becomes a tensor named
 * `<prefix>.<path>` and is replaced by `{"$tensor": name}`; NaN and ±Infinity, which JSON cannot
 * hold, become `{"$number": "NaN" | "Infinity" | "-Infinity"}`. Keys starting with "$" are
 * reserved for these markers. An array found in `alreadyStored` (the very same object) is
 * referenced by its existing tensor name instead of being stored twice.
 */
export function encodeState(
  value: unknown,
  prefix: string,
  alreadyStored: ReadonlyMap<Float32Array, string> = new Map(),
): { json: string; tensors: Array<[string, RawTensor]> } {
  const tensors: Array<[string, RawTensor]> = [];
  const walk = (item: unknown, path: string[], depth: number): unknown => {
    if (depth > 32) throw new FormatError(FormatErrorCode.INVALID_INPUT, `${prefix} state nests deeper than 32 levels`);
    if (typeof item === 'number') return Number.isFinite(item) ? item : { $number: String(item) };
    if (item === null || typeof item === 'string' || typeof item === 'boolean') return item;
    if (item instanceof Float32Array) {
      const existing = alreadyStored.get(item);
      if (existing !== undefined) return { $tensor: existing };
      const name = [prefix, ...path].join('.');
      tensors.push([name, float32Tensor([item.length], item)]);
      return { $tensor: name };
    }
    if (Array.isArray(item)) return item.map((child, i) => walk(child, [...path, String(i)], depth + 1));
    if (typeof item === 'object' && Object.getPrototypeOf(item) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(item)) {
        if (key.startsWith('$')) throw new FormatError(FormatErrorCode.INVALID_INPUT, `${prefix} state key "${key}" is reserved: keys must not start with "$"`);
        if (child !== undefined) out[key] = walk(child, [...path, key], depth + 1);
      }
      return out;
    }
    throw new FormatError(
      FormatErrorCode.INVALID_INPUT,
      `${prefix} state at "${path.join('.')}" is a ${describe(item)}; only JSON values and Float32Arrays can be stored`,
    );
  };
  const json = JSON.stringify(walk(value, [], 0));
  return { json, tensors };
}

/**
 * Inverse of {@link encodeState}; `take(name)` returns the named tensor or undefined. Markers may
 * name tensors under `prefix` or under one of `sharedPrefixes` (e.g. 'optimizer.').
 */
export function decodeState(
  json: unknown,
  prefix: string,
  take: (name: string) => RawTensor | undefined,
  sharedPrefixes: readonly string[] = [],
): unknown {
  const allowed = [`${prefix}.`, ...sharedPrefixes];
  const walk = (item: unknown, depth: number): unknown => {
    if (depth > 32) throw new FormatError(FormatErrorCode.BAD_METADATA, `${prefix} state nests deeper than 32 levels: the file is damaged`);
    if (Array.isArray(item)) return item.map((child) => walk(child, depth + 1));
    if (typeof item !== 'object' || item === null) return item;
    const record = item as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && keys[0] === '$number') {
      const n = record.$number;
      if (n === 'NaN' || n === 'Infinity' || n === '-Infinity') return Number(n);
      throw new FormatError(FormatErrorCode.BAD_METADATA, `${prefix} state holds an invalid number marker: the file is damaged`);
    }
    if (keys.length === 1 && keys[0] === '$tensor') {
      const name = record.$tensor;
      const raw = typeof name === 'string' && allowed.some((p) => name.startsWith(p)) ? take(name) : undefined;
      if (raw?.dtype !== 'F32') {
        throw new FormatError(FormatErrorCode.TENSOR_MISMATCH, `${prefix} state refers to tensor ${JSON.stringify(name)}, which the file lacks or stores with a dtype other than F32: the file is damaged`);
      }
      return toFloat32(raw);
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      // defineProperty, not assignment: a "__proto__" key must stay plain data.
      Object.defineProperty(out, key, { value: walk(record[key], depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return walk(json, 0);
}

function describe(item: unknown): string {
  if (item === undefined) return 'undefined';
  if (typeof item === 'object' && item !== null) return item.constructor?.name ?? 'object';
  return typeof item;
}

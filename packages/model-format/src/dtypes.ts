import { FormatError, FormatErrorCode } from './errors.js';

/**
 * The safetensors dtypes this library reads, with their size in bytes. Float8 and 4-bit types of
 * the specification are deliberately absent: a file using them is rejected with
 * `UNSUPPORTED_DTYPE` rather than misread.
 */
export const DTYPE_SIZES = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
} as const;

export type DType = keyof typeof DTYPE_SIZES;

export function isDType(name: string): name is DType {
  return Object.hasOwn(DTYPE_SIZES, name);
}

/** True on little-endian hosts (all current browsers and Node platforms); safetensors data is little-endian. */
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A tensor as stored in a safetensors file: dtype, shape and its little-endian bytes. */
export interface RawTensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Little-endian element bytes, length = product(shape) × size of dtype. May be a view into the file. */
  readonly bytes: Uint8Array;
}

/** A raw F32 tensor holding a copy of `values` in little-endian byte order. */
export function float32Tensor(shape: readonly number[], values: Float32Array): RawTensor {
  const copy = new Float32Array(values);
  const bytes = new Uint8Array(copy.buffer);
  if (!HOST_IS_LITTLE_ENDIAN) swapBytes(bytes, 4);
  return { dtype: 'F32', shape: [...shape], bytes };
}

/** A raw I64 tensor of whole-number values (PyTorch's `num_batches_tracked`), little-endian. */
export function int64Tensor(shape: readonly number[], values: ArrayLike<number>): RawTensor {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setBigInt64(i * 8, BigInt(Math.trunc(values[i])), true);
  return { dtype: 'I64', shape: [...shape], bytes };
}

/**
 * The values of a raw tensor as a fresh Float32Array. F32 is copied bit for bit; other dtypes are
 * converted (F64 and 64-bit integers round to the nearest float32).
 */
export function toFloat32(tensor: RawTensor): Float32Array {
  const size = DTYPE_SIZES[tensor.dtype];
  const count = tensor.bytes.length / size;
  if (tensor.dtype === 'F32' && HOST_IS_LITTLE_ENDIAN) {
    // Copy into a fresh, aligned buffer: the source may start at any byte offset of the file.
    // (Not `bytes.slice()`: on a Node Buffer that is a view of the whole shared pool.)
    return new Float32Array(new Uint8Array(tensor.bytes).buffer);
  }
  const view = new DataView(tensor.bytes.buffer, tensor.bytes.byteOffset, tensor.bytes.byteLength);
  const out = new Float32Array(count);
  const read = elementReader(tensor.dtype, view);
  for (let i = 0; i < count; i++) out[i] = read(i * size);
  return out;
}

function elementReader(dtype: DType, v: DataView): (offset: number) => number {
  switch (dtype) {
    case 'F64': return (o) => v.getFloat64(o, true);
    case 'F32': return (o) => v.getFloat32(o, true);
    case 'F16': return (o) => halfToFloat(v.getUint16(o, true));
    case 'BF16': return (o) => new Float32Array(new Uint32Array([v.getUint16(o, true) << 16]).buffer)[0];
    case 'I64': return (o) => Number(v.getBigInt64(o, true));
    case 'U64': return (o) => Number(v.getBigUint64(o, true));
    case 'I32': return (o) => v.getInt32(o, true);
    case 'U32': return (o) => v.getUint32(o, true);
    case 'I16': return (o) => v.getInt16(o, true);
    case 'U16': return (o) => v.getUint16(o, true);
    case 'I8': return (o) => v.getInt8(o);
    case 'U8': return (o) => v.getUint8(o);
    case 'BOOL': return (o) => (v.getUint8(o) === 0 ? 0 : 1);
    default:
      throw new FormatError(FormatErrorCode.UNSUPPORTED_DTYPE, `cannot convert dtype ${dtype satisfies never}`);
  }
}

/** IEEE 754 binary16 → number (handles subnormals, infinities and NaN). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

import { DatasetError, DatasetErrorCode } from '../errors.js';
import { IdxType, type IdxTypeName, idxTypeInfoByName } from './idx-types.js';

/**
 * Encodes values as an uncompressed IDX file: magic 0x00 0x00 type ndims, big-endian uint32
 * dimensions, then big-endian values in row-major order. Compress the result with gzip if needed.
 */
export function encodeIdx(array: { type: IdxTypeName; dims: readonly number[]; data: ArrayLike<number> }): Uint8Array {
  const { type, dims, data } = array;
  if (!(type in IdxType)) {
    throw new DatasetError(DatasetErrorCode.INVALID_ARGUMENT, `encodeIdx: unknown type "${type}"; valid: ${Object.keys(IdxType).join(', ')}`);
  }
  if (dims.length === 0 || dims.length > 255 || dims.some((d) => !Number.isInteger(d) || d < 0 || d > 0xffffffff)) {
    throw new DatasetError(
      DatasetErrorCode.INVALID_ARGUMENT,
      `encodeIdx: dims [${dims.join(', ')}] must be 1 to 255 unsigned 32-bit integers`,
    );
  }
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new DatasetError(
      DatasetErrorCode.INVALID_ARGUMENT,
      `encodeIdx: dims [${dims.join(', ')}] hold ${count} values but data has ${data.length}`,
    );
  }
  const info = idxTypeInfoByName(type);
  const headerBytes = 4 + 4 * dims.length;
  const out = new Uint8Array(headerBytes + count * info.bytes);
  const view = new DataView(out.buffer);
  out[2] = IdxType[type];
  out[3] = dims.length;
  for (let i = 0; i < dims.length; i++) view.setUint32(4 + 4 * i, dims[i], false);
  const p = headerBytes;
  switch (type) {
    case 'ubyte':
    case 'byte':
      // Typed-array set wraps like the IDX reader reads: ubyte mod 256, byte as two's complement.
      if (type === 'ubyte') out.set(data as ArrayLike<number>, p);
      else new Int8Array(out.buffer, p, count).set(data as ArrayLike<number>);
      break;
    case 'short':
      for (let i = 0; i < count; i++) view.setInt16(p + 2 * i, data[i], false);
      break;
    case 'int':
      for (let i = 0; i < count; i++) view.setInt32(p + 4 * i, data[i], false);
      break;
    case 'float':
      for (let i = 0; i < count; i++) view.setFloat32(p + 4 * i, data[i], false);
      break;
    case 'double':
      for (let i = 0; i < count; i++) view.setFloat64(p + 8 * i, data[i], false);
      break;
  }
  return out;
}

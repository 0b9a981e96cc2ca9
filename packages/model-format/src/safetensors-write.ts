import { DTYPE_SIZES, type RawTensor, isDType } from './dtypes.js';
import { FormatError, FormatErrorCode } from './errors.js';

/**
 * Serialises named tensors and string metadata into a safetensors file: an 8-byte little-endian
 * header length, a JSON header padded with spaces to a multiple of 8 bytes (so every tensor starts
 * 8-byte aligned when its predecessors are), then the tensors' bytes back to back in the given order.
 *
 * @throws FormatError INVALID_INPUT for a reserved or empty name, a bad shape, or bytes that do not
 *   match dtype × shape.
 */
export function writeSafetensors(
  tensors: Iterable<readonly [string, RawTensor]>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const list = [...tensors];
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') {
        throw new FormatError(FormatErrorCode.INVALID_INPUT, `metadata "${key}" must be a string (safetensors allows string values only)`);
      }
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  for (const [name, tensor] of list) {
    validateTensor(name, tensor, header);
    header[name] = { dtype: tensor.dtype, shape: [...tensor.shape], data_offsets: [offset, offset + tensor.bytes.length] };
    offset += tensor.bytes.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength % 0x100000000, true);
  view.setUint32(4, Math.floor(headerLength / 0x100000000), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let cursor = 8 + headerLength;
  for (const [, tensor] of list) {
    out.set(tensor.bytes, cursor);
    cursor += tensor.bytes.length;
  }
  return out;
}

function validateTensor(name: string, tensor: RawTensor, header: Record<string, unknown>): void {
  if (name === '' || name === '__metadata__') {
    throw new FormatError(FormatErrorCode.INVALID_INPUT, `tensor name "${name}" is reserved or empty; choose another name`);
  }
  if (Object.hasOwn(header, name)) {
    throw new FormatError(FormatErrorCode.INVALID_INPUT, `tensor name "${name}" appears twice; tensor names must be unique`);
  }
  if (!isDType(tensor.dtype)) {
    throw new FormatError(FormatErrorCode.INVALID_INPUT, `tensor "${name}" has unknown dtype "${tensor.dtype}"`);
  }
  let count = 1;
  for (const d of tensor.shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new FormatError(FormatErrorCode.INVALID_INPUT, `tensor "${name}" has invalid shape [${tensor.shape.join(', ')}]: dimensions are whole numbers ≥ 0`);
    }
    count *= d;
  }
  if (count * DTYPE_SIZES[tensor.dtype] !== tensor.bytes.length) {
    throw new FormatError(
      FormatErrorCode.INVALID_INPUT,
      `tensor "${name}" (${tensor.dtype}, shape [${tensor.shape.join(', ')}]) needs ${count * DTYPE_SIZES[tensor.dtype]} bytes, got ${tensor.bytes.length}`,
    );
  }
}

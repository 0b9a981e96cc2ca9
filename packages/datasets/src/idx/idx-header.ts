import { DatasetError, DatasetErrorCode } from '../errors.js';
import { DEFAULT_MAX_IDX_BYTES, type IdxTypeName, idxTypeInfo } from './idx-types.js';

/** What the first 4 + 4·ndims bytes of an IDX file declare. */
export interface IdxHeader {
  type: IdxTypeName;
  dims: number[];
  /** Bytes before the payload: 4 + 4·dims.length. */
  headerBytes: number;
  /** Bytes the payload must have: product(dims) · element size. */
  payloadBytes: number;
  elementBytes: number;
}

export interface IdxReadOptions {
  /** File name or URL used in error messages. */
  name?: string;
  /** Largest payload accepted, in bytes (default 1 GiB). Checked before anything is allocated. */
  maxBytes?: number;
  /** What the TOO_LARGE message says after the limit (default: the file is corrupt, or raise maxBytes). */
  maxBytesHint?: string;
}

/**
 * Parses an IDX header from the start of `bytes`. Returns undefined when more bytes are needed
 * (so streams can call it as chunks arrive); throws a DatasetError for a header that can never
 * be valid. Sizes are checked against the cap here, before any payload buffer exists.
 */
export function parseIdxHeader(bytes: Uint8Array, options: IdxReadOptions = {}): IdxHeader | undefined {
  const name = options.name ?? 'IDX data';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_IDX_BYTES;
  if (bytes.length >= 2 && (bytes[0] !== 0 || bytes[1] !== 0)) {
    throw new DatasetError(
      DatasetErrorCode.BAD_MAGIC,
      `${name}: not an IDX file (starts with 0x${hex(bytes[0])} 0x${hex(bytes[1])}, expected 0x00 0x00); check that the file is an uncompressed or gzip-compressed IDX file`,
      { file: name },
    );
  }
  if (bytes.length < 4) return undefined;
  const info = idxTypeInfo(bytes[2]);
  if (!info) {
    throw new DatasetError(
      DatasetErrorCode.UNKNOWN_TYPE,
      `${name}: unknown IDX type code 0x${hex(bytes[2])}; valid codes are 0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double`,
      { file: name },
    );
  }
  const ndims = bytes[3];
  if (ndims === 0) {
    throw new DatasetError(DatasetErrorCode.BAD_MAGIC, `${name}: IDX header declares 0 dimensions`, { file: name });
  }
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const dims: number[] = [];
  let elements = 1;
  for (let d = 0; d < ndims; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    dims.push(size);
    elements *= size;
  }
  // Doubles hold these products exactly up to 2^53; anything near that is far over the cap anyway.
  const payloadBytes = elements * info.bytes;
  if (payloadBytes > maxBytes) {
    throw new DatasetError(
      DatasetErrorCode.TOO_LARGE,
      `${name}: IDX header declares dimensions [${dims.join(', ')}] of ${info.name} = ${payloadBytes} bytes, over the ${maxBytes}-byte limit; ${options.maxBytesHint ?? 'the file is corrupt, or raise maxBytes if it is genuinely this large'}`,
      { file: name },
    );
  }
  return { type: info.name, dims, headerBytes, payloadBytes, elementBytes: info.bytes };
}

function hex(byte: number | undefined): string {
  return (byte ?? 0).toString(16).padStart(2, '0');
}

import { DatasetError, DatasetErrorCode } from '../errors.js';
import { type IdxHeader, type IdxReadOptions, parseIdxHeader } from './idx-header.js';
import { type IdxArray, type IdxData, idxTypeInfoByName } from './idx-types.js';

/** Smallest first payload allocation; it then doubles as bytes arrive. */
const MIN_INITIAL_CAPACITY = 1 << 20;

/**
 * Builds an IdxArray from chunks as they arrive (from a file, a socket or a gunzip stream).
 * The declared size is checked against the cap first; the payload buffer then grows with the
 * bytes that actually arrive (doubling, never past the declared size), so neither a hostile
 * header nor a gzip bomb can make it allocate more than the cap, and a tiny file that declares
 * a huge payload costs no more than its real bytes.
 */
export class IdxAssembler {
  private readonly name: string;
  private headerBuffer = new Uint8Array(0);
  private header: IdxHeader | undefined;
  private payload: Uint8Array | undefined;
  private filled = 0;

  constructor(private readonly options: IdxReadOptions = {}) {
    this.name = options.name ?? 'IDX data';
  }

  /** Adds the next chunk. Throws LENGTH_MISMATCH as soon as the data runs past the declared size. */
  push(chunk: Uint8Array): void {
    if (!this.header) {
      // Header bytes are few (≤ 1024); joining them is cheap.
      const joined = new Uint8Array(this.headerBuffer.length + chunk.length);
      joined.set(this.headerBuffer);
      joined.set(chunk, this.headerBuffer.length);
      this.header = parseIdxHeader(joined, this.options);
      if (!this.header) {
        this.headerBuffer = joined;
        return;
      }
      this.headerBuffer = new Uint8Array(0);
      chunk = joined.subarray(this.header.headerBytes);
      // A whole in-memory file arrives as one chunk: its buffer is then exactly the right size.
      this.payload = new Uint8Array(Math.min(this.header.payloadBytes, Math.max(chunk.length, MIN_INITIAL_CAPACITY)));
    }
    const declared = this.header.payloadBytes;
    const needed = this.filled + chunk.length;
    if (needed > declared) {
      throw new DatasetError(
        DatasetErrorCode.LENGTH_MISMATCH,
        `${this.name}: payload is longer than the ${declared} bytes its dimensions [${this.header.dims.join(', ')}] declare; the file is corrupt`,
        { file: this.name },
      );
    }
    if (needed > this.payload!.length) {
      const grown = new Uint8Array(Math.min(declared, Math.max(needed, this.payload!.length * 2)));
      grown.set(this.payload!.subarray(0, this.filled));
      this.payload = grown;
    }
    this.payload!.set(chunk, this.filled);
    this.filled += chunk.length;
  }

  /** Checks that header and payload are complete and decodes the big-endian values. */
  finish(): IdxArray {
    if (!this.header) {
      throw new DatasetError(
        DatasetErrorCode.TRUNCATED,
        `${this.name}: file ends inside the IDX header (${this.headerBuffer.length} bytes); it is truncated or empty`,
        { file: this.name },
      );
    }
    const payload = this.payload!;
    if (this.filled < this.header.payloadBytes) {
      throw new DatasetError(
        DatasetErrorCode.TRUNCATED,
        `${this.name}: payload has ${this.filled} of the ${this.header.payloadBytes} bytes its dimensions [${this.header.dims.join(', ')}] declare; the file is truncated, fetch it again`,
        { file: this.name },
      );
    }
    return { type: this.header.type, dims: this.header.dims, data: decodePayload(this.header, payload) };
  }
}

/** Big-endian payload bytes to a typed array. Byte types reuse the buffer; wider types are converted. */
function decodePayload(header: IdxHeader, payload: Uint8Array): IdxData {
  const info = idxTypeInfoByName(header.type);
  if (header.type === 'ubyte') return payload;
  if (header.type === 'byte') return new Int8Array(payload.buffer, payload.byteOffset, payload.length);
  const n = payload.length / info.bytes;
  const out = info.create(n);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.length);
  switch (header.type) {
    case 'short':
      for (let i = 0; i < n; i++) out[i] = view.getInt16(2 * i, false);
      break;
    case 'int':
      for (let i = 0; i < n; i++) out[i] = view.getInt32(4 * i, false);
      break;
    case 'float':
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, false);
      break;
    case 'double':
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, false);
      break;
  }
  return out;
}

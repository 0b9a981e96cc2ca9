import { FormatError, FormatErrorCode } from './errors.js';

/**
 * The protobuf wire format, just what ONNX needs: varints, length-delimited fields and fixed32.
 * Hand-written (about 150 lines) rather than a library, because the reader must be bounded
 * against hostile files in ways a general decoder does not promise: it never allocates from a
 * declared size, hands out views instead of copies, and every step consumes at least one byte.
 */

/** Wire types. */
export const WIRE = { VARINT: 0, FIXED64: 1, BYTES: 2, FIXED32: 5 } as const;

/** Builds one message; nested messages are written into their own writer and added as bytes. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private current = new Uint8Array(256);
  private used = 0;

  private reserve(n: number): void {
    if (this.used + n <= this.current.length) return;
    this.flush();
    this.current = new Uint8Array(Math.max(256, n));
  }

  private flush(): void {
    if (this.used > 0) this.chunks.push(this.current.subarray(0, this.used));
    this.current = new Uint8Array(256);
    this.used = 0;
  }

  /** A non-negative integer or a negative int64 (ten bytes, two's complement) as a varint. */
  varint(value: number): this {
    if (!Number.isSafeInteger(value)) throw new FormatError(FormatErrorCode.INVALID_INPUT, `cannot encode ${value} as a protobuf integer`);
    this.reserve(10);
    let v = value < 0 ? BigInt.asUintN(64, BigInt(value)) : BigInt(value);
    if (value >= 0 && value < 2 ** 31) {
      let n = value;
      while (n >= 0x80) {
        this.current[this.used++] = (n & 0x7f) | 0x80;
        n >>>= 7;
      }
      this.current[this.used++] = n;
    } else {
      while (v >= 0x80n) {
        this.current[this.used++] = Number(v & 0x7fn) | 0x80;
        v >>= 7n;
      }
      this.current[this.used++] = Number(v);
    }
    return this;
  }

  private tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  raw(bytes: Uint8Array): this {
    if (bytes.length > 4096) {
      this.flush();
      this.chunks.push(bytes);
    } else {
      this.reserve(bytes.length);
      this.current.set(bytes, this.used);
      this.used += bytes.length;
    }
    return this;
  }

  int(field: number, value: number): this {
    return this.tag(field, WIRE.VARINT).varint(value);
  }

  float(field: number, value: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    return this.tag(field, WIRE.FIXED32).raw(b);
  }

  bytes(field: number, value: Uint8Array): this {
    return this.tag(field, WIRE.BYTES).varint(value.length).raw(value);
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  /** Repeated int64 in the packed encoding (what ONNX's own writers use for `ints` and `dims`). */
  packedInts(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    this.flush();
    const size = this.chunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(size);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
}

/** One field as read: a varint's value, or a view of a length-delimited or fixed field's bytes. */
export type ProtoField = { field: number; wire: 0; value: number } | { field: number; wire: 1 | 2 | 5; bytes: Uint8Array };

/** Error factory for the reader, so messages say which message was being read. */
function malformed(where: string, problem: string, code: FormatErrorCode = FormatErrorCode.BAD_ONNX): FormatError {
  return new FormatError(code, `${where}: ${problem}: the file is not a valid ONNX model (damaged or cut off)`);
}

/**
 * Reads a varint at `pos`, returning [value, next position]. Values beyond 2^53 (only negative
 * int64s in practice) become the nearest double through BigInt; callers range-check them.
 */
export function readVarint(bytes: Uint8Array, pos: number, where: string): [number, number] {
  let result = 0;
  let shift = 1;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= bytes.length) throw malformed(where, 'a number runs past the end of its message', FormatErrorCode.TRUNCATED);
    const b = bytes[pos + i];
    if (i < 7) {
      result += (b & 0x7f) * shift;
      shift *= 128;
      if (b < 0x80) return [result, pos + i + 1];
    } else {
      // Rare long form: redo it exactly with BigInt (two's complement int64).
      let v = 0n;
      for (let j = i; j >= 0; j--) v = (v << 7n) | BigInt(bytes[pos + j] & 0x7f);
      if (b < 0x80) return [Number(BigInt.asIntN(64, v)), pos + i + 1];
    }
  }
  throw malformed(where, 'a number is longer than ten bytes');
}

/**
 * The fields of one message in order. Each field consumes at least one byte, and lengths are
 * checked against what is left before anything is sliced, so the cost is linear in the input.
 */
export function* readFields(bytes: Uint8Array, where: string): Generator<ProtoField> {
  let pos = 0;
  while (pos < bytes.length) {
    const [key, afterKey] = readVarint(bytes, pos, where);
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field < 1) throw malformed(where, `field number ${field}`);
    pos = afterKey;
    if (wire === WIRE.VARINT) {
      const [value, next] = readVarint(bytes, pos, where);
      pos = next;
      yield { field, wire, value };
    } else if (wire === WIRE.BYTES || wire === WIRE.FIXED32 || wire === WIRE.FIXED64) {
      let length = wire === WIRE.FIXED32 ? 4 : 8;
      if (wire === WIRE.BYTES) [length, pos] = readVarint(bytes, pos, where);
      if (length < 0 || length > bytes.length - pos) {
        throw malformed(where, `field ${field} declares ${length} bytes but ${bytes.length - pos} remain`, FormatErrorCode.TRUNCATED);
      }
      yield { field, wire, bytes: bytes.subarray(pos, pos + length) };
      pos += length;
    } else {
      throw malformed(where, `field ${field} has wire type ${wire}, which ONNX does not use`);
    }
  }
}

/** Repeated varints, packed (one bytes field) or not (one varint field each), appended to `out` up to `max`. */
export function readInts(f: ProtoField, out: number[], max: number, where: string): void {
  if (f.wire === WIRE.VARINT) out.push(f.value);
  else if (f.wire === WIRE.BYTES) {
    let pos = 0;
    while (pos < f.bytes.length) {
      if (out.length >= max) throw malformed(where, `more than ${max} integers`, FormatErrorCode.LIMIT_EXCEEDED);
      const [v, next] = readVarint(f.bytes, pos, where);
      out.push(v);
      pos = next;
    }
  } else throw malformed(where, `field ${f.field} should hold integers`);
  if (out.length > max) throw malformed(where, `more than ${max} integers`, FormatErrorCode.LIMIT_EXCEEDED);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A length-delimited field as a UTF-8 string, refusing longer than `max` bytes. */
export function readString(f: ProtoField, where: string, max = 65_536): string {
  if (f.wire !== WIRE.BYTES) throw malformed(where, `field ${f.field} should be a string`);
  if (f.bytes.length > max) throw malformed(where, `a ${f.bytes.length}-byte string, over the ${max}-byte limit`, FormatErrorCode.LIMIT_EXCEEDED);
  try {
    return utf8.decode(f.bytes);
  } catch {
    throw malformed(where, 'a string is not valid UTF-8');
  }
}

/** A length-delimited field's bytes (a nested message). */
export function readMessage(f: ProtoField, where: string): Uint8Array {
  if (f.wire !== WIRE.BYTES) throw malformed(where, `field ${f.field} should be a message`);
  return f.bytes;
}

/** A varint field's value. */
export function readInt(f: ProtoField, where: string): number {
  if (f.wire !== WIRE.VARINT) throw malformed(where, `field ${f.field} should be an integer`);
  return f.value;
}

/** A fixed32 field as a float32. */
export function readFloat(f: ProtoField, where: string): number {
  if (f.wire !== WIRE.FIXED32) throw malformed(where, `field ${f.field} should be a float`);
  return new DataView(f.bytes.buffer, f.bytes.byteOffset, 4).getFloat32(0, true);
}

export { malformed as protobufError };

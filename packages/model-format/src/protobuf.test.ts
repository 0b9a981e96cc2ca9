import { describe, expect, it } from 'vitest';
import { FormatError } from './errors.js';
import { ProtoWriter, readFields, readInts, readVarint } from './protobuf.js';

describe('protobuf wire format', () => {
  it('round-trips varints, including negative int64 as ten bytes', () => {
    for (const value of [0, 1, 127, 128, 300, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1, -1, -2, -(2 ** 40)]) {
      const bytes = new ProtoWriter().varint(value).finish();
      if (value < 0) expect(bytes.length).toBe(10);
      expect(readVarint(bytes, 0, 'test')).toEqual([value, bytes.length]);
    }
  });

  it('reads back the fields it wrote: ints, packed ints, strings, floats, nested messages', () => {
    const bytes = new ProtoWriter()
      .int(1, 7)
      .string(2, 'scratchnet')
      .packedInts(3, [5, -1, 2 ** 33])
      .float(4, 0.5)
      .message(5, (w) => w.int(1, 42))
      .finish();
    const fields = [...readFields(bytes, 'test')];
    expect(fields.map((f) => [f.field, f.wire])).toEqual([[1, 0], [2, 2], [3, 2], [4, 5], [5, 2]]);
    const ints: number[] = [];
    readInts(fields[2], ints, 10, 'test');
    expect(ints).toEqual([5, -1, 2 ** 33]);
    expect(new TextDecoder().decode((fields[1] as { bytes: Uint8Array }).bytes)).toBe('scratchnet');
    expect([...readFields((fields[4] as { bytes: Uint8Array }).bytes, 'inner')]).toEqual([{ field: 1, wire: 0, value: 42 }]);
  });

  it('refuses, with a typed error, lengths past the end, long varints, field 0, unknown wire types and too many ints', () => {
    const cases: Array<[number[], string]> = [
      [[0x12, 0x05, 1, 2], 'TRUNCATED'],
      [[0x12, 0xff, 0xff, 0xff, 0xff, 0x0f], 'TRUNCATED'],
      [[0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], 'BAD_ONNX'],
      [[0x08], 'TRUNCATED'],
      [[0x00, 0x01], 'BAD_ONNX'],
      [[0x0b], 'BAD_ONNX'],
    ];
    for (const [bytes, code] of cases) {
      const error = (() => {
        try {
          [...readFields(Uint8Array.from(bytes), 'test')];
        } catch (e) {
          return e;
        }
      })();
      expect(error, JSON.stringify(bytes)).toBeInstanceOf(FormatError);
      expect((error as FormatError).code, JSON.stringify(bytes)).toBe(code);
    }
    const packed = [...readFields(new ProtoWriter().packedInts(1, [1, 2, 3, 4]).finish(), 'test')][0];
    expect(() => readInts(packed, [], 3, 'test')).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
  });
});

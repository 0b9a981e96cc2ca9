import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DatasetError, DatasetErrorCode } from '../errors.js';
import { webDecompressor } from '../gzip.js';
import { nodeDecompressor } from '../node/verify-file.js';
import { IdxAssembler } from './idx-assembler.js';
import { type IdxTypeName, IdxType } from './idx-types.js';
import { decodeIdx, parseIdx } from './read-idx.js';
import { encodeIdx } from './write-idx.js';

const header = (type: number, dims: number[]) => {
  const out = new Uint8Array(4 + 4 * dims.length);
  out[2] = type;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  return out;
};

/** Values each IDX type can hold exactly. */
const valueArb: Record<IdxTypeName, fc.Arbitrary<number>> = {
  ubyte: fc.integer({ min: 0, max: 255 }),
  byte: fc.integer({ min: -128, max: 127 }),
  short: fc.integer({ min: -32768, max: 32767 }),
  int: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  float: fc.float({ noNaN: true }),
  double: fc.double({ noNaN: true }),
};

const arrayArb = fc
  .constantFrom(...(Object.keys(IdxType) as IdxTypeName[]))
  .chain((type) =>
    fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }).chain((dims) => {
      const n = dims.reduce((a, b) => a * b, 1);
      return fc.record({ type: fc.constant(type), dims: fc.constant(dims), data: fc.array(valueArb[type], { minLength: n, maxLength: n }) });
    }),
  );

describe('IDX writer and reader', () => {
  it('writes the documented layout: magic, big-endian dims, big-endian values', () => {
    const bytes = encodeIdx({ type: 'short', dims: [2, 1], data: [258, -2] });
    expect(Array.from(bytes)).toEqual([0, 0, 0x0b, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0x01, 0x02, 0xff, 0xfe]);
    const ints = encodeIdx({ type: 'int', dims: [1], data: [0x01020304] });
    expect(Array.from(ints.subarray(8))).toEqual([1, 2, 3, 4]);
  });

  it('round-trips every type, raw and gzip-compressed (node:zlib and DecompressionStream)', async () => {
    await fc.assert(
      fc.asyncProperty(arrayArb, async (array) => {
        const raw = encodeIdx(array);
        const parsed = parseIdx(raw);
        expect(parsed.type).toBe(array.type);
        expect(parsed.dims).toEqual(array.dims);
        // float32 storage rounds doubles; compare against what float32 can hold.
        const expected = array.type === 'float' ? Array.from(Float32Array.from(array.data)) : array.data;
        expect(Array.from(parsed.data)).toEqual(expected);
        const gz = gzipSync(raw);
        for (const decompress of [nodeDecompressor, webDecompressor()!]) {
          const fromGz = await decodeIdx(gz, { decompress });
          expect(fromGz.dims).toEqual(array.dims);
          expect(Array.from(fromGz.data)).toEqual(expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('decodes a real-looking 3-dimensional ubyte file into a Uint8Array', () => {
    const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 10);
    const parsed = parseIdx(encodeIdx({ type: 'ubyte', dims: [2, 3, 4], data }));
    expect(parsed.data).toBeInstanceOf(Uint8Array);
    expect(parsed.data).toEqual(data);
  });

  it('decodes arriving chunk by chunk, one byte at a time', () => {
    const raw = encodeIdx({ type: 'double', dims: [3], data: [1.5, -2.25, Math.PI] });
    const assembler = new IdxAssembler();
    for (const b of raw) assembler.push(Uint8Array.of(b));
    expect(Array.from(assembler.finish().data)).toEqual([1.5, -2.25, Math.PI]);
  });

  it('refuses to encode data that does not match its dims', () => {
    expect(() => encodeIdx({ type: 'ubyte', dims: [2, 2], data: [1, 2, 3] })).toThrow(/hold 4 values but data has 3/);
    expect(() => encodeIdx({ type: 'ubyte', dims: [], data: [] })).toThrow(DatasetError);
  });
});

describe('IDX validation gives typed errors that name the file', () => {
  const codeOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(DatasetError);
      return (e as DatasetError).code;
    }
    return 'no error';
  };

  it('wrong magic, unknown type, short and long payloads', () => {
    const good = encodeIdx({ type: 'ubyte', dims: [4], data: [1, 2, 3, 4] });
    const error = (() => {
      try {
        parseIdx(Uint8Array.of(0x50, 0x4b, 3, 4, 0, 0, 0, 0), { name: 'data/labels.idx' });
      } catch (e) {
        return e as DatasetError;
      }
    })()!;
    expect(error.code).toBe(DatasetErrorCode.BAD_MAGIC);
    expect(error.file).toBe('data/labels.idx');
    expect(error.message).toMatch(/^data\/labels\.idx: not an IDX file \(starts with 0x50 0x4b/);
    expect(codeOf(() => parseIdx(header(0x0a, [1])))).toBe(DatasetErrorCode.UNKNOWN_TYPE);
    expect(codeOf(() => parseIdx(good.subarray(0, good.length - 1)))).toBe(DatasetErrorCode.TRUNCATED);
    expect(codeOf(() => parseIdx(Uint8Array.of(...good, 9)))).toBe(DatasetErrorCode.LENGTH_MISMATCH);
    expect(codeOf(() => parseIdx(new Uint8Array(0)))).toBe(DatasetErrorCode.TRUNCATED);
  });

  it('a hostile header declaring terabytes is refused before anything is allocated', () => {
    const hostile = header(IdxType.double, [0xffffffff, 0xffffffff, 0xffffffff]);
    expect(codeOf(() => parseIdx(hostile))).toBe(DatasetErrorCode.TOO_LARGE);
    // A small cap applies too: 1,000 ubytes declared, 999 allowed.
    expect(codeOf(() => parseIdx(header(IdxType.ubyte, [1000]), { maxBytes: 999 }))).toBe(DatasetErrorCode.TOO_LARGE);
  });

  it('a tiny file declaring a payload just under the cap is TRUNCATED without allocating the declared size', () => {
    const liar = header(IdxType.ubyte, [(1 << 30) - 1]); // 8 bytes on disk, ~1 GiB declared
    const before = process.memoryUsage().arrayBuffers;
    expect(codeOf(() => parseIdx(liar))).toBe(DatasetErrorCode.TRUNCATED);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 << 20);
  });

  it('a gzip bomb (a small header followed by megabytes of zeros) stops at the declared size', async () => {
    const bomb = gzipSync(Buffer.concat([header(IdxType.ubyte, [16]), Buffer.alloc(16 << 20)]));
    const error = await decodeIdx(bomb, { name: 'bomb.gz', decompress: nodeDecompressor }).catch((e) => e);
    expect(error.code).toBe(DatasetErrorCode.LENGTH_MISMATCH);
    expect(error.message).toMatch(/^bomb\.gz: payload is longer than the 16 bytes/);
  });

  it('fuzzed headers and payloads only ever produce DatasetErrors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (bytes, plausible) => {
        // Half the cases start with a valid magic so the fuzzer reaches the dims and payload checks.
        if (plausible && bytes.length >= 4) {
          bytes[0] = 0;
          bytes[1] = 0;
          bytes[2] = [0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e][bytes[2] % 6];
          bytes[3] = 1 + (bytes[3] % 4);
        }
        try {
          const parsed = parseIdx(bytes, { maxBytes: 1 << 20 });
          // Whatever parses must be exactly header + declared payload.
          const elementBytes = parsed.data.BYTES_PER_ELEMENT;
          expect(4 + 4 * parsed.dims.length + parsed.data.length * elementBytes).toBe(bytes.length);
        } catch (e) {
          expect(e).toBeInstanceOf(DatasetError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('every truncation of a raw file is TRUNCATED; of a gzip file, BAD_GZIP or TRUNCATED', async () => {
    const raw = encodeIdx({ type: 'int', dims: [3, 5], data: Array.from({ length: 15 }, (_, i) => i * 1000 - 7000) });
    for (let cut = 0; cut < raw.length; cut++) {
      expect(codeOf(() => parseIdx(raw.subarray(0, cut), { name: 'cut.idx' }))).toBe(DatasetErrorCode.TRUNCATED);
    }
    const gz = gzipSync(raw);
    for (let cut = 2; cut < gz.length; cut++) {
      const error = await decodeIdx(gz.subarray(0, cut), { name: 'cut.idx.gz', decompress: nodeDecompressor }).catch((e) => e);
      expect(error).toBeInstanceOf(DatasetError);
      expect([DatasetErrorCode.BAD_GZIP, DatasetErrorCode.TRUNCATED]).toContain(error.code);
      expect(error.message.startsWith('cut.idx.gz: ')).toBe(true);
    }
    const web = await decodeIdx(gz.subarray(0, gz.length - 6), { name: 'cut.idx.gz', decompress: webDecompressor()! }).catch((e) => e);
    expect(web).toBeInstanceOf(DatasetError);
  });

  it('gzip data where the platform has no DecompressionStream asks for a decompressor', async () => {
    const gz = gzipSync(encodeIdx({ type: 'ubyte', dims: [1], data: [7] }));
    const saved = (globalThis as any).DecompressionStream;
    (globalThis as any).DecompressionStream = undefined;
    try {
      const error = await decodeIdx(gz, { name: 'x.gz' }).catch((e) => e);
      expect(error.code).toBe(DatasetErrorCode.NO_DECOMPRESSOR);
      expect(error.message).toBe('x.gz: is gzip-compressed and this environment has no DecompressionStream; pass a decompress function');
    } finally {
      (globalThis as any).DecompressionStream = saved;
    }
    expect(Array.from((await decodeIdx(gz)).data)).toEqual([7]);
    expect(() => parseIdx(gz, { name: 'x.gz' })).toThrow(/gzip-compressed; use decodeIdx/);
  });
});

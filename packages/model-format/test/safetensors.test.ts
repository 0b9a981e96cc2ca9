import { describe, expect, it } from 'vitest';
import { FormatError, type RawTensor, float32Tensor, readSafetensors, toFloat32, writeSafetensors } from '../src/index.js';
import { bits, editHeader, wave, withHeaderText } from './helpers.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FormatError);
    return (error as FormatError).code;
  }
  throw new Error('expected a FormatError, got none');
}

const raw = (dtype: RawTensor['dtype'], shape: number[], bytes: number[]): RawTensor => ({ dtype, shape, bytes: Uint8Array.from(bytes) });

describe('safetensors writer and reader', () => {
  it('round-trips tensors of every width, metadata, and pads the header to 8 bytes', () => {
    const a = float32Tensor([2, 3], wave(6, 1));
    const b = raw('U8', [3], [1, 2, 3]);
    const c = raw('I64', [1], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    const empty = float32Tensor([0, 5], new Float32Array(0));
    const bytes = writeSafetensors([['a', a], ['b', b], ['c', c], ['empty', empty]], { note: 'hi', 'ü': 'ß' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    expect(bytes.length).toBe(8 + headerLength + 24 + 3 + 8);

    const file = readSafetensors(bytes);
    expect(file.metadata).toEqual({ note: 'hi', 'ü': 'ß' });
    expect([...file.tensors.keys()]).toEqual(['a', 'b', 'c', 'empty']);
    expect(bits(toFloat32(file.tensors.get('a')!))).toEqual(bits(wave(6, 1)));
    expect(file.tensors.get('a')!.shape).toEqual([2, 3]);
    expect([...toFloat32(file.tensors.get('b')!)]).toEqual([1, 2, 3]);
    expect([...toFloat32(file.tensors.get('c')!)]).toEqual([-1]);
    expect(file.tensors.get('empty')!.shape).toEqual([0, 5]);
    // Reading an ArrayBuffer (as a browser would get from a Blob) gives the same result.
    expect(bits(toFloat32(readSafetensors(bytes.slice().buffer).tensors.get('a')!))).toEqual(bits(wave(6, 1)));
  });

  it('converts F16, BF16 and F64 to float32 with the IEEE meaning', () => {
    // F16: 1.0 = 0x3c00, -2.0 = 0xc000, 65504 = 0x7bff, smallest subnormal 0x0001 = 2^-24, +inf 0x7c00.
    const f16 = raw('F16', [5], [0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00, 0x00, 0x7c]);
    expect([...toFloat32(f16)]).toEqual([1, -2, 65504, 2 ** -24, Number.POSITIVE_INFINITY]);
    // BF16 is the top half of a float32: 0x3fc0 = 1.5, 0xc080 = -4.
    expect([...toFloat32(raw('BF16', [2], [0xc0, 0x3f, 0x80, 0xc0]))]).toEqual([1.5, -4]);
    const f64 = new Uint8Array(new Float64Array([0.1, -3]).buffer);
    expect([...toFloat32(raw('F64', [2], [...f64]))]).toEqual([Math.fround(0.1), -3]);
  });

  it('rejects bad input to the writer', () => {
    expect(codeOf(() => writeSafetensors([['__metadata__', float32Tensor([1], new Float32Array(1))]]))).toBe('INVALID_INPUT');
    expect(codeOf(() => writeSafetensors([['x', raw('F32', [2], [0, 0, 0])]]))).toBe('INVALID_INPUT');
    const t = float32Tensor([1], new Float32Array(1));
    expect(codeOf(() => writeSafetensors([['x', t], ['x', t]]))).toBe('INVALID_INPUT');
  });

  const good = writeSafetensors([['w', float32Tensor([2, 2], wave(4, 0))], ['b', float32Tensor([2], wave(2, 1))]]);

  it('names each kind of damage with its own code', () => {
    expect(codeOf(() => readSafetensors(good.subarray(0, 5)))).toBe('TRUNCATED');
    expect(codeOf(() => readSafetensors(good.subarray(0, 20)))).toBe('TRUNCATED');
    expect(codeOf(() => readSafetensors(good.subarray(0, good.length - 1)))).toBe('TRUNCATED');
    const huge = good.slice();
    new DataView(huge.buffer).setBigUint64(0, 2n ** 62n, true);
    expect(codeOf(() => readSafetensors(huge))).toBe('HEADER_TOO_LARGE');
    expect(codeOf(() => readSafetensors(good, { maxHeaderBytes: 16 }))).toBe('HEADER_TOO_LARGE');
    expect(codeOf(() => readSafetensors(new TextEncoder().encode('PK\x03\x04 this is a zip file')))).toMatch(/BAD_MAGIC|HEADER_TOO_LARGE|TRUNCATED/);
    expect(codeOf(() => readSafetensors(withHeaderText('[1,2]   ', new Uint8Array(0))))).toBe('BAD_MAGIC');
    expect(codeOf(() => readSafetensors(withHeaderText('{"a":', new Uint8Array(0))))).toBe('BAD_HEADER');
    expect(codeOf(() => readSafetensors(withHeaderText('{"a\xff":1}', new Uint8Array(0)).map((b) => (b === 0xc3 ? 0xff : b))))).toBe('BAD_HEADER');
    expect(codeOf(() => readSafetensors(editHeader(good, (h) => { h.w.dtype = 'F8_E4M3'; })))).toBe('UNSUPPORTED_DTYPE');
    expect(codeOf(() => readSafetensors(editHeader(good, (h) => { h.w.extra = 1; })))).toBe('BAD_HEADER');
    expect(codeOf(() => readSafetensors(editHeader(good, (h) => { h.w.shape = [2, -2]; })))).toBe('BAD_HEADER');
    expect(codeOf(() => readSafetensors(editHeader(good, (h) => { h.__metadata__ = { k: 1 }; })))).toBe('BAD_HEADER');
    expect(codeOf(() => readSafetensors(editHeader(good, (h) => { h.w.shape = [2, 3]; })))).toBe('BAD_OFFSETS');
    expect(codeOf(() => readSafetensors(editHeader(good, (h) => { h.w.data_offsets = [8, 0]; })))).toBe('BAD_OFFSETS');
    // Overlap: b claims the last 8 bytes of w.
    expect(codeOf(() => readSafetensors(editHeader(good, (h) => { h.b.data_offsets = [8, 16]; })))).toBe('BAD_OFFSETS');
    // Hole: drop b, leaving its 8 bytes uncovered.
    expect(codeOf(() => readSafetensors(editHeader(good, (h) => { delete h.b; })))).toBe('BAD_OFFSETS');
    // Out of bounds: a shape that fits the offsets but not the file.
    expect(codeOf(() => readSafetensors(editHeader(good, (h) => { h.b = { dtype: 'F32', shape: [1000], data_offsets: [16, 4016] }; })))).toBe('TRUNCATED');
    // A shape whose byte count overflows double precision is caught, not wrapped around.
    expect(codeOf(() => readSafetensors(editHeader(good, (h) => { h.w.shape = [2 ** 40, 2 ** 40]; })))).toBe('BAD_OFFSETS');
  });

  it('gives messages that say what is wrong and what to do', () => {
    expect(() => readSafetensors(good.subarray(0, good.length - 3))).toThrow(/cut off; copy it again/);
    expect(() => readSafetensors(editHeader(good, (h) => { h.w.dtype = 'Q4'; }))).toThrow(/dtype "Q4".*supported: F64, F32/);
  });

  it('keeps a "__proto__" tensor name as plain data', () => {
    const bytes = withHeaderText('{"__proto__":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', Uint8Array.of(7));
    const file = readSafetensors(bytes);
    expect([...file.tensors.keys()]).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).dtype).toBeUndefined();
  });
});

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, parseArchitecture } from '@scratchnet/core';
import { saveCheckpoint } from '@scratchnet/model-format/node';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * A safetensors reader written here from the specification alone (not the library's reader):
 * 8-byte little-endian u64 N, N bytes of UTF-8 JSON, then the data section that the tensors'
 * data_offsets index into.
 */
function readFromSpec(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  const dataStart = 8 + n;
  const { __metadata__: metadata, ...entries } = header;
  const tensors = new Map<string, { dtype: string; shape: number[]; begin: number; end: number; values: number[] }>();
  for (const [name, info] of Object.entries(entries) as Array<[string, { dtype: string; shape: number[]; data_offsets: [number, number] }]>) {
    const [begin, end] = info.data_offsets;
    expect(info.dtype).toBe('F32');
    const values = Array.from({ length: (end - begin) / 4 }, (_, i) => view.getFloat32(dataStart + begin + i * 4, true));
    tensors.set(name, { dtype: info.dtype, shape: info.shape, begin, end, values });
  }
  return { n, metadata: metadata as Record<string, string>, tensors, data: bytes.subarray(dataStart) };
}

const dir = mkdtempSync(join(tmpdir(), 'scratchnet-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a checkpoint saved by scratchnet, read by an independent safetensors reader', () => {
  it('has the expected tensors, values, metadata, alignment and checksum', async () => {
    const spec = parseArchitecture('12-7-5-3', { activations: 'relu,tanh', output: 'softmax' });
    const model = buildModel(spec, { seed: 21 });
    const path = join(dir, 'model.safetensors');
    await saveCheckpoint(path, { model, classNames: ['a', 'b', 'c'] });
    const file = readFromSpec(new Uint8Array(readFileSync(path)));

    expect(file.n % 8).toBe(0);
    expect([...file.tensors.keys()]).toEqual(['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias']);
    const shapes = Object.fromEntries([...file.tensors].map(([name, t]) => [name, t.shape]));
    expect(shapes).toEqual({ '0.weight': [7, 12], '0.bias': [7], '2.weight': [5, 7], '2.bias': [5], '4.weight': [3, 5], '4.bias': [3] });
    for (const [name, p] of model.namedParameters()) expect(file.tensors.get(name)!.values, name).toEqual([...p.value.data]);

    // Offsets tile the data section from 0 to its end.
    const ranges = [...file.tensors.values()].map((t) => [t.begin, t.end]).sort((a, b) => a[0] - b[0]);
    for (const [i, [begin]] of ranges.entries()) expect(begin).toBe(i === 0 ? 0 : ranges[i - 1][1]);
    expect(ranges.at(-1)![1]).toBe(file.data.length);

    expect(Object.values(file.metadata).every((v) => typeof v === 'string')).toBe(true);
    expect(file.metadata.format).toBe('scratchnet');
    expect(Number(file.metadata.format_version)).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(file.metadata.model_spec)).toEqual(spec);
    expect(JSON.parse(file.metadata.class_names)).toEqual(['a', 'b', 'c']);
    expect(file.metadata.tensor_sha256).toBe(createHash('sha256').update(file.data).digest('hex'));
  });
});

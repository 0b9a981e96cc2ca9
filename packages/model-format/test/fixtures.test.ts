import { readFileSync, readdirSync } from 'node:fs';
import { Tensor } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { FORMAT_VERSION, MIGRATIONS, decodeCheckpoint, loadModel, readSafetensors } from '../src/index.js';
import { SMALL_SPEC, bits, smallContents, wave } from './helpers.js';

// One file per format version ever written, produced by scripts/write-fixture.mjs with the library
// as it was at that version, and never rewritten.
const fixtureDir = new URL('./fixtures/', import.meta.url);
const fixtures = readdirSync(fixtureDir)
  .map((name) => /^checkpoint-v(\d+)\.safetensors$/.exec(name))
  .filter((m) => m !== null)
  .map((m) => ({ version: Number(m[1]), bytes: new Uint8Array(readFileSync(new URL(m[0], fixtureDir))) }));

describe('format fixtures', () => {
  it('exist for every version from 1 to the current one, with a migration out of each older one', () => {
    expect(fixtures.map((f) => f.version).sort()).toEqual(Array.from({ length: FORMAT_VERSION }, (_, i) => i + 1));
    for (let v = 1; v < FORMAT_VERSION; v++) expect(MIGRATIONS[v], `migration ${v} → ${v + 1}`).toBeTypeOf('function');
  });

  it.each(fixtures)('version $version is stored as that version and decodes to the current layout', ({ version, bytes }) => {
    expect(readSafetensors(bytes).metadata.format_version).toBe(String(version));
    const decoded = decodeCheckpoint(bytes);
    const expected = smallContents();
    expect(decoded.formatVersion).toBe(version);
    expect(decoded.spec).toEqual(SMALL_SPEC);
    expect(decoded.classNames).toEqual(['cat', 'dog']);
    // v1 stored the history as one array per metric; the migration turns it into rows.
    expect(decoded.training).toEqual(expected.training);
    for (const [name, t] of expected.tensors) expect(bits(decoded.tensors.get(name)!.data), name).toEqual(bits(t.data));
    if (version >= 2) {
      expect(decoded.optimizer!.type).toBe('adam');
      expect(bits(decoded.optimizer!.slots['m/2.bias'])).toEqual(bits(wave(2, 1 + 3)));
      expect(decoded.trainer!.rng[4]).toBeNaN();
      expect(decoded.trainer!.batch).toBe(2);
      expect(bits(decoded.trainer!.earlyStopping!.bestWeights!['0.bias'])).toEqual(bits(wave(3, 0.2).map((x) => x * 0.5)));
    } else {
      expect(decoded.optimizer).toBeUndefined();
      expect(decoded.trainer).toBeUndefined();
    }
  });

  it.each(fixtures)('version $version loads into a model that computes softmax(W2·relu(W1·x + b1) + b2)', ({ bytes }) => {
    const { model } = loadModel(bytes);
    const x = [0.5, -1, 2, 0.25];
    const [w1, b1, w2, b2] = [wave(12, 0.1), wave(3, 0.2), wave(6, 0.3), wave(2, 0.4)];
    const hidden = [0, 1, 2].map((j) => Math.max(0, b1[j] + x.reduce((s, xi, i) => s + w1[j * 4 + i] * xi, 0)));
    const logits = [0, 1].map((k) => b2[k] + hidden.reduce((s, h, j) => s + w2[k * 3 + j] * h, 0));
    const z = logits.map((l) => Math.exp(l - Math.max(...logits)));
    const expected = z.map((v) => v / (z[0] + z[1]));
    const out = model.forward(new Tensor([1, 4], Float32Array.from(x)));
    expect(out.data[0]).toBeCloseTo(expected[0], 6);
    expect(out.data[1]).toBeCloseTo(expected[1], 6);
  });
});

import { readFileSync } from 'node:fs';
import { Tensor } from '@scratchnet/core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError, encodeCheckpoint, loadModel, readSafetensors } from '../src/index.js';
import { editHeader, smallContents, wave, withHeaderText } from './helpers.js';

/**
 * Whatever the bytes, loading gives a FormatError or a working model: never another exception,
 * a hang (each case must finish well inside the test timeout) or an allocation beyond the input.
 */
function loadOrTypedError(bytes: Uint8Array): 'ok' | string {
  let loaded: ReturnType<typeof loadModel>;
  try {
    loaded = loadModel(bytes);
  } catch (error) {
    if (!(error instanceof FormatError)) throw new Error(`untyped error: ${String(error)}`, { cause: error });
    expect(error.message.length).toBeGreaterThan(20);
    return error.code;
  }
  // Decoded tensors are copies of ranges of the input; optimizer slots may be shared twice at most.
  let floats = 0;
  for (const t of loaded.tensors.values()) floats += t.data.length;
  for (const slot of Object.values(loaded.optimizer?.slots ?? {})) floats += slot.length;
  expect(floats * 4).toBeLessThanOrEqual(bytes.length);
  if (loaded.spec.inputSize <= 4096) {
    const out = loaded.model.forward(new Tensor([2, loaded.spec.inputSize], new Float32Array(2 * loaded.spec.inputSize).fill(0.5)));
    expect(out.shape[0]).toBe(2);
  }
  return 'ok';
}

const contents = smallContents();
const slots = Object.fromEntries([...contents.tensors].map(([name, t], k) => [`m/${name}`, wave(t.data.length, k)]));
const optimizer = { type: 'adam' as const, step: 3, learningRate: 0.01, slots };
const trainer = {
  version: 1,
  seed: 1,
  batchSize: 4,
  datasetSize: 8,
  epoch: 0,
  batch: 1,
  globalStep: 1,
  rng: [1, 2, 3, 4, Number.NaN],
  optimizer,
  history: { epochs: [], stoppedEarly: false },
  epochTotals: { lossSum: 1, correct: 1, seen: 4 },
  earlyStopping: null,
};
const samples = [
  encodeCheckpoint(contents),
  encodeCheckpoint({ ...contents, optimizer, trainer: trainer as any }),
  new Uint8Array(readFileSync(new URL('./fixtures/checkpoint-v1.safetensors', import.meta.url))),
];
const sample = fc.constantFrom(...samples);
const runs = { numRuns: 300 };

/** Outcome counts per property, printed so that a reader can see the fuzzing reaches every layer. */
function tally(name: string): { add(outcome: string): void } {
  const counts: Record<string, number> = {};
  afterAll(() => console.log(`${name}: ${JSON.stringify(counts)}`));
  return { add: (outcome) => { counts[outcome] = (counts[outcome] ?? 0) + 1; } };
}

/** Interesting replacement values for header fields: wrong types, huge, negative, fractional, deep. */
const nasty = fc.oneof(
  fc.constantFrom(-1, 0, 1, 2 ** 31, 2 ** 53, 2 ** 64, 1e308, 0.5, '', '1', null, true, [], {}, [2 ** 32, 2 ** 32], [-1, 4], ['a']),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 1, max: 400 }).map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n))),
);

/** Sets `value` at a random path of a JSON object (descending into metadata JSON strings too). */
function mutateAt(root: Record<string, any>, choices: number[], value: unknown, remove: boolean): void {
  let node: any = root;
  for (let depth = 0; depth < choices.length; depth++) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[choices[depth] % keys.length];
    const child = node[key];
    const last = depth === choices.length - 1 || typeof child !== 'object' || child === null;
    if (typeof child === 'string' && /^[[{]/.test(child) && depth < choices.length - 1) {
      const inner = JSON.parse(child);
      if (typeof inner === 'object' && inner !== null) {
        mutateAt(inner, choices.slice(depth + 1), value, remove);
        node[key] = JSON.stringify(inner);
        return;
      }
    }
    if (last) {
      if (remove) delete node[key];
      else node[key] = value;
      return;
    }
    node = child;
  }
}

describe('fuzzing the reader', () => {
  it('survives every truncation', () => {
    fc.assert(fc.property(sample, fc.nat(), (bytes, cut) => {
      expect(loadOrTypedError(bytes.subarray(0, cut % bytes.length))).not.toBe('ok');
    }), runs);
  });

  const flipOutcomes = tally('byte flips');
  it('survives random byte flips anywhere', () => {
    const flips = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 });
    fc.assert(fc.property(sample, flips, (bytes, edits) => {
      const copy = bytes.slice();
      for (const [position, mask] of edits) copy[position % copy.length] ^= mask;
      flipOutcomes.add(loadOrTypedError(copy));
    }), runs);
  });

  const editOutcomes = tally('header edits');
  it('survives random edits of header values, metadata JSON included', () => {
    const path = fc.array(fc.nat(), { minLength: 1, maxLength: 6 });
    fc.assert(fc.property(sample, path, nasty, fc.boolean(), (bytes, choices, value, remove) => {
      editOutcomes.add(loadOrTypedError(editHeader(bytes, (header) => mutateAt(header, choices, value, remove))));
    }), runs);
  });

  const metadataOutcomes = tally('metadata JSON edits');
  it('survives random edits inside the metadata JSON (spec, classes, training, optimizer, trainer)', () => {
    const field = fc.constantFrom('model_spec', 'class_names', 'training', 'optimizer', 'trainer');
    const path = fc.array(fc.nat(), { minLength: 1, maxLength: 6 });
    fc.assert(fc.property(fc.constantFrom(samples[1], samples[2]), field, path, nasty, fc.boolean(), (bytes, key, choices, value, remove) => {
      const edited = editHeader(bytes, (header) => {
        if (header.__metadata__[key] === undefined) return;
        const inner = { root: JSON.parse(header.__metadata__[key]) };
        mutateAt(inner, [0, ...choices], value, remove);
        header.__metadata__[key] = JSON.stringify(inner.root) ?? 'null';
      });
      metadataOutcomes.add(loadOrTypedError(edited));
    }), runs);
  });

  it('survives forged length prefixes and arbitrary header text', () => {
    fc.assert(fc.property(sample, fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (bytes, length) => {
      const copy = bytes.slice();
      new DataView(copy.buffer).setBigUint64(0, length, true);
      loadOrTypedError(copy);
    }), runs);
    fc.assert(fc.property(fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 64 }), (text, data) => {
      expect(loadOrTypedError(withHeaderText(text, data))).not.toBe('ok');
    }), runs);
  });

  it('rejects absurdly nested metadata JSON in every field of every version without overflowing the stack', () => {
    const deep = `{"history":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    for (const bytes of samples) {
      const jsonFields = ['model_spec', 'class_names', 'training', 'optimizer', 'trainer'];
      const present = jsonFields.filter((key) => readSafetensors(bytes).metadata[key] !== undefined);
      expect(present.length).toBeGreaterThanOrEqual(3);
      for (const key of present) {
        const code = loadOrTypedError(editHeader(bytes, (header) => { header.__metadata__[key] = deep; }));
        expect(code, key).not.toBe('ok');
      }
    }
  });

  it('rejects a header that references one tensor many times instead of multiplying it', () => {
    const bytes = editHeader(samples[1], (header) => {
      const state = JSON.parse(header.__metadata__.trainer);
      state.optimizer.slots = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`m/${i}`, { $tensor: 'optimizer.m.0.weight' }]));
      header.__metadata__.trainer = JSON.stringify(state);
    });
    expect(loadOrTypedError(bytes)).toBe('TENSOR_MISMATCH');
  });
});

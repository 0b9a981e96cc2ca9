import { Rng, buildModel, fit, parseArchitecture, randomNormal, tensorDataset } from '@scratchnet/core';
import type { TrainerState } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import {
  FORMAT_VERSION,
  FormatError,
  LIBRARY_VERSION,
  blobFromBytes,
  bytesFromBlob,
  decodeCheckpoint,
  encodeCheckpoint,
  loadModel,
  readSafetensors,
  writeSafetensors,
} from '../src/index.js';
import { bits, editHeader, smallContents, wave } from './helpers.js';

function errorOf(fn: () => unknown): FormatError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FormatError);
    return error as FormatError;
  }
  throw new Error('expected a FormatError, got none');
}

describe('checkpoint encode/decode', () => {
  it('round-trips raw contents bit for bit, with metadata as the architecture doc says', () => {
    const contents = smallContents();
    const bytes = encodeCheckpoint(contents);
    const decoded = decodeCheckpoint(bytes);
    expect(decoded.formatVersion).toBe(FORMAT_VERSION);
    expect(decoded.libraryVersion).toBe(LIBRARY_VERSION);
    expect(decoded.spec).toEqual(contents.spec);
    expect(decoded.classNames).toEqual(['cat', 'dog']);
    expect(decoded.training).toEqual(contents.training);
    expect([...decoded.tensors.keys()]).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    for (const [name, t] of contents.tensors) {
      expect(decoded.tensors.get(name)!.shape).toEqual(t.shape);
      expect(bits(decoded.tensors.get(name)!.data)).toEqual(bits(t.data));
    }
    const { metadata, tensors } = readSafetensors(bytes);
    expect(metadata.format).toBe('scratchnet');
    expect(metadata.format_version).toBe(String(FORMAT_VERSION));
    expect(JSON.parse(metadata.model_spec)).toEqual(contents.spec);
    expect(metadata.tensor_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(tensors.get('0.weight')).toMatchObject({ dtype: 'F32', shape: [3, 4] });
  });

  it('keeps optimizer slots (PyTorch-named, parameter-shaped) and trainer state with NaN and arrays exactly', () => {
    const contents = smallContents();
    const slots = { 'm/0.weight': wave(12, 5), 'v/0.weight': wave(12, 6), 'momentum_buffer/2.bias': wave(2, 7) };
    const optimizer = { type: 'adam' as const, step: 7, learningRate: 0.001, slots };
    const trainer = {
      version: 1 as const,
      seed: 3,
      batchSize: 2,
      datasetSize: 5,
      epoch: 1,
      batch: 1,
      globalStep: 4,
      rng: [1, 2, 3, 4, Number.NaN],
      optimizer,
      history: { epochs: [{ epoch: 0, loss: 0.5, accuracy: 0.6, learningRate: 0.001 }], stoppedEarly: false },
      epochTotals: { lossSum: 0.25, correct: 1, seen: 2 },
      earlyStopping: { monitor: 'loss' as const, best: Number.POSITIVE_INFINITY, bestEpoch: -1, wait: 0, bestWeights: { '0.weight': wave(12, 8) } },
    };
    const bytes = encodeCheckpoint({ ...contents, optimizer, trainer: trainer as TrainerState });
    const names = [...readSafetensors(bytes).tensors.keys()];
    // The trainer's optimizer is the same object, so its slots are stored once, under optimizer.*.
    expect(names).toEqual([
      '0.weight', '0.bias', '2.weight', '2.bias',
      'optimizer.m.0.weight', 'optimizer.v.0.weight', 'optimizer.momentum_buffer.2.bias',
      'trainer.earlyStopping.bestWeights.0.weight',
    ]);
    expect(readSafetensors(bytes).tensors.get('optimizer.m.0.weight')!.shape).toEqual([3, 4]);
    const decoded = decodeCheckpoint(bytes);
    expect(decoded.optimizer).toEqual({ type: 'adam', step: 7, learningRate: 0.001, slots: expect.any(Object) });
    for (const [key, values] of Object.entries(slots)) expect(bits(decoded.optimizer!.slots[key])).toEqual(bits(values));
    const t = decoded.trainer!;
    expect(t.rng[4]).toBeNaN();
    expect(t.earlyStopping!.best).toBe(Number.POSITIVE_INFINITY);
    expect(bits(t.optimizer.slots['m/0.weight'])).toEqual(bits(slots['m/0.weight']));
    expect(t.optimizer.slots['m/0.weight']).not.toBe(decoded.optimizer!.slots['m/0.weight']);
    expect(bits(t.earlyStopping!.bestWeights!['0.weight'])).toEqual(bits(wave(12, 8)));
    expect({ ...t, rng: t.rng.slice(0, 4) }).toMatchObject({ epoch: 1, batch: 1, globalStep: 4, rng: [1, 2, 3, 4] });
  });

  it('stores a diverged run\'s NaN metrics as null and drops undefined fields, as JSON would', () => {
    const contents = smallContents();
    const history = [{ epoch: 0, loss: Number.NaN, accuracy: 0.1, valLoss: undefined as unknown as number }];
    const training = { ...contents.training!, history, finalMetrics: { loss: Number.POSITIVE_INFINITY } };
    const decoded = decodeCheckpoint(encodeCheckpoint({ ...contents, training }));
    expect(decoded.training!.history).toEqual([{ epoch: 0, loss: null, accuracy: 0.1 }]);
    expect(decoded.training!.finalMetrics).toEqual({ loss: null });
  });

  it('verifies the SHA-256 of the tensor data', () => {
    const bytes = encodeCheckpoint(smallContents());
    const flipped = bytes.slice();
    flipped[flipped.length - 3] ^= 0x01;
    const error = errorOf(() => decodeCheckpoint(flipped));
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.message).toMatch(/restore the file from a good copy/);
  });

  it('names both versions when the file is newer than the reader', () => {
    const bytes = editHeader(encodeCheckpoint(smallContents()), (h) => {
      h.__metadata__.format_version = String(FORMAT_VERSION + 5);
    });
    const error = errorOf(() => decodeCheckpoint(bytes));
    expect(error.code).toBe('UNSUPPORTED_VERSION');
    expect(error.message).toContain(`format version ${FORMAT_VERSION + 5}`);
    expect(error.message).toContain(`versions 1 to ${FORMAT_VERSION}`);
    expect(error.message).toMatch(/upgrade @scratchnet\/model-format/);
  });

  it('refuses safetensors files that are not scratchnet checkpoints, and inconsistent ones', () => {
    const plain = writeSafetensors([]);
    expect(errorOf(() => decodeCheckpoint(plain)).code).toBe('BAD_MAGIC');
    const good = encodeCheckpoint(smallContents());
    const edit = (f: (h: Record<string, any>) => void) => errorOf(() => decodeCheckpoint(editHeader(good, f))).code;
    expect(edit((h) => { h.__metadata__.format = 'gguf'; })).toBe('BAD_MAGIC');
    expect(edit((h) => { h.__metadata__.format_version = '1.5'; })).toBe('BAD_METADATA');
    expect(edit((h) => { delete h.__metadata__.tensor_sha256; })).toBe('BAD_METADATA');
    expect(edit((h) => { h.__metadata__.class_names = '{"a":1}'; })).toBe('BAD_METADATA');
    expect(edit((h) => { h.__metadata__.model_spec = '{"inputSize":4,"layers":[{"type":"conv2d"}]}'; })).toBe('BAD_METADATA');
    // Structurally fine but the layer sizes do not chain: core's own check, reported as a file problem.
    const badChain = { ...smallContents().spec, inputSize: 5 };
    expect(edit((h) => { h.__metadata__.model_spec = JSON.stringify(badChain); })).toBe('BAD_METADATA');
    // Spec and tensors disagree: a dense layer with another width. (Hash stays valid: data untouched.)
    const wider = structuredClone(smallContents().spec) as any;
    wider.layers[2].outputSize = 3;
    wider.layers[0].outputSize = 3;
    expect(edit((h) => { h.__metadata__.model_spec = JSON.stringify({ ...wider, layers: [...wider.layers, { type: 'dense', inputSize: 3, outputSize: 1 }] }); })).toBe('TENSOR_MISMATCH');
    expect(edit((h) => { h.__metadata__.model_spec = JSON.stringify({ inputSize: 4, layers: [{ type: 'dense', inputSize: 4, outputSize: 3 }] }); })).toBe('TENSOR_MISMATCH');
    expect(edit((h) => { h.__metadata__.training = '['.repeat(100) + ']'.repeat(100); })).toBe('BAD_METADATA');
  });

  it('rejects contents that do not match their spec when encoding', () => {
    const contents = smallContents();
    const missing = new Map(contents.tensors);
    missing.delete('2.bias');
    expect(errorOf(() => encodeCheckpoint({ ...contents, tensors: missing })).message).toMatch(/needs parameter "2.bias" \[2\]/);
    const extra = new Map(contents.tensors).set('9.weight', { shape: [1], data: new Float32Array(1) });
    expect(errorOf(() => encodeCheckpoint({ ...contents, tensors: extra })).code).toBe('INVALID_INPUT');
    const wrong = new Map(contents.tensors).set('0.bias', { shape: [4], data: new Float32Array(4) });
    expect(errorOf(() => encodeCheckpoint({ ...contents, tensors: wrong })).message).toMatch(/"0.bias" has shape \[4\] but the spec needs \[3\]/);
    expect(errorOf(() => encodeCheckpoint({ ...contents, trainer: { when: new Date() } as any })).code).toBe('INVALID_INPUT');
  });

  it('rejects trainer state that core could not resume from (RNG words must be uint32)', () => {
    const trainer = {
      version: 1, seed: 0, batchSize: 2, datasetSize: 4, epoch: 0, batch: 1, globalStep: 1, rng: [1, 2, 3, 4, Number.NaN],
      optimizer: { type: 'sgd', step: 1, learningRate: 0.1, slots: {} },
      history: { epochs: [], stoppedEarly: false }, epochTotals: { lossSum: 0, correct: 0, seen: 2 }, earlyStopping: null,
    } as unknown as TrainerState;
    expect(decodeCheckpoint(encodeCheckpoint({ ...smallContents(), trainer })).trainer!.rng.slice(0, 4)).toEqual([1, 2, 3, 4]);
    for (const word of [-1, 2 ** 32, 0.5]) {
      const bad = { ...trainer, rng: [word, 2, 3, 4, 0] } as unknown as TrainerState;
      expect(errorOf(() => decodeCheckpoint(encodeCheckpoint({ ...smallContents(), trainer: bad }))).message).toMatch(/"trainer" is malformed.*rng\.0/);
    }
  });
});

describe('models', () => {
  it('save → load gives identical predictions, bit for bit, for every activation and dropout', () => {
    const spec = parseArchitecture('6-8-7-5-4-3', { activations: ['relu', 'tanh', 'selu', 'leaky_relu'], dropout: 0.3, output: 'softmax' });
    const model = buildModel(spec, { seed: 11 }).eval();
    const x = randomNormal([9, 6], new Rng(5));
    const before = model.forward(x);
    const loaded = loadModel(encodeCheckpoint({ model, classNames: ['a', 'b', 'c'] }));
    expect(loaded.spec).toEqual(spec);
    expect(loaded.model.training).toBe(false);
    const after = loaded.model.forward(x);
    expect(bits(after.data)).toEqual(bits(before.data));
    // And the loaded weights are not the seed-11 defaults by accident: another seed predicts differently.
    expect(bits(buildModel(spec, { seed: 12 }).eval().forward(x).data)).not.toEqual(bits(before.data));
  });

  it('a run saved mid-training with its trainer state resumes to the same weights as an uninterrupted run', async () => {
    const rng = new Rng(1);
    const x = randomNormal([40, 5], rng);
    const labels = Int32Array.from({ length: 40 }, (_, i) => (x.data[i * 5] + x.data[i * 5 + 1] > 0 ? 1 : 0));
    const data = tensorDataset(x, labels, 2);
    const spec = parseArchitecture('5-8-2', { dropout: 0.2 });
    const options = { epochs: 3, batchSize: 8, seed: 9, optimizer: { type: 'adam' as const, lr: 0.01 } };

    const reference = buildModel(spec, { seed: 4 });
    await fit(reference, data, options);

    let saved: Uint8Array | undefined;
    const first = buildModel(spec, { seed: 4 });
    const controller = new AbortController();
    await fit(first, data, {
      ...options,
      signal: controller.signal,
      callbacks: {
        onBatchEnd(info) {
          if (info.epoch === 1 && info.batch === 2) {
            const trainer = info.trainerState();
            saved = encodeCheckpoint({ model: first, classNames: ['neg', 'pos'], optimizer: trainer.optimizer, trainer });
            controller.abort();
          }
        },
      },
    }).catch((error) => expect(error.code).toBe('ABORTED'));

    const restored = loadModel(saved!);
    const resumed = restored.model.train();
    await fit(resumed, data, { ...options, resumeFrom: restored.trainer });
    for (const [name, t] of reference.stateDict()) expect(bits(resumed.stateDict().get(name)!.data), name).toEqual(bits(t.data));
  });
});

describe('input kinds', () => {
  it('decodes a Node Buffer that sits at an offset inside a shared pool', () => {
    const bytes = encodeCheckpoint(smallContents());
    // Buffer.from(array) of a small size lands inside Node's shared 8 KiB pool at a non-zero offset.
    const pooled = Buffer.concat([Buffer.from([1, 2, 3]), Buffer.from(bytes)]).subarray(3);
    expect(pooled.byteOffset + pooled.buffer.byteLength).toBeGreaterThan(bytes.length);
    const decoded = decodeCheckpoint(pooled);
    for (const [name, t] of smallContents().tensors) expect(bits(decoded.tensors.get(name)!.data), name).toEqual(bits(t.data));
    expect(bits(decodeCheckpoint(bytes.slice().buffer).tensors.get('0.weight')!.data)).toEqual(bits(smallContents().tensors.get('0.weight')!.data));
  });
});

describe('Blob in and out (browser path)', () => {
  it('a checkpoint survives blobFromBytes → bytesFromBlob → loadModel', async () => {
    const bytes = encodeCheckpoint(smallContents());
    const blob = blobFromBytes(bytes);
    expect(blob.size).toBe(bytes.length);
    const loaded = loadModel(await bytesFromBlob(blob));
    expect(bits(loaded.tensors.get('2.weight')!.data)).toEqual(bits(smallContents().tensors.get('2.weight')!.data));
  });
});

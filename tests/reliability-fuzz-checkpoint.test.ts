import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScratchnetError, Tensor, type TrainingAbortedError, buildModel, fit, parseArchitecture } from '@scratchnet/core';
import { FormatError, encodeCheckpoint, loadModel } from '@scratchnet/model-format';
import { loadModelFile, readCheckpoint } from '@scratchnet/model-format/node';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASKS, buildTaskModel, classNamesOf, syntheticDataset } from './reliability/children/training-setup.mjs';
import { duplicateKey, joinCheckpoint, splitCheckpoint, v1History, withMetadataValue, writeSparse } from './reliability/helpers/hostile-checkpoints.js';
import { FuzzTally, runHostileCase } from './reliability/helpers/hostile-runner.js';
import { KiB, MiB } from './reliability/helpers/memory.js';
import { childScript, tempDir } from './reliability/helpers/paths.js';
import { scaled } from './reliability/helpers/scale.js';

/**
 * Hostile checkpoint files through `loadModel` (decode + validate + rebuild the model): random
 * bytes, real checkpoints (with optimizer and trainer state) with bytes flipped, cut or appended,
 * and real containers whose JSON header or metadata values were replaced with nasty ones — the
 * SHA-256 covers only the tensor data, so these reach every metadata check. Every case must give
 * a working model or a FormatError with a code — no other exception, no hang, no ArrayBuffer
 * growth beyond the stated cap.
 */
const RUNS = scaled('RELIABILITY_FUZZ_RUNS', 3000, 60_000);
const SEED = Number(process.env.RELIABILITY_SEED ?? 20261122);
/**
 * Allowed ArrayBuffer growth per case: decoded tensor copies (≤ 2× the file, as optimizer slots may
 * be shared twice), the model's parameters and gradients (2× the weights), the loaded copies, slack.
 */
const capFor = (input: Uint8Array) => 8 * input.length + 256 * KiB;
const HANG_MS = 2000;

const tally = new FuzzTally();
afterAll(() => {
  console.log(`[reliability] fuzz-checkpoint: ${JSON.stringify({ seed: SEED, capBytes: '8×input + 256 KiB', ...tally.summary() })}`);
});

/** Real checkpoints: weights only, and mid-run with optimizer + trainer state. */
const samples: Uint8Array[] = [];
beforeAll(async () => {
  const task = TASKS.resume;
  const model = buildTaskModel(task);
  const controller = new AbortController();
  const error = await fit(model, syntheticDataset(task.data), {
    ...task.fit,
    epochs: 2,
    signal: controller.signal,
    callbacks: { onBatchEnd: (info) => (info.globalStep === 17 ? controller.abort() : undefined) },
  }).catch((e) => e);
  const state = (error as TrainingAbortedError).state;
  const training = { dataset: { name: 'synthetic' }, hyperparameters: { lr: 0.01 }, seed: 42, epochs: 1, finalMetrics: { loss: 1 }, history: [{ epoch: 0, loss: 1.5, accuracy: 0.5 }] };
  samples.push(encodeCheckpoint({ model, classNames: classNamesOf(task) }));
  samples.push(encodeCheckpoint({ model, classNames: classNamesOf(task), training, optimizer: state.optimizer, trainer: state }));
  // A convolutional checkpoint (format v3): conv weights [out, in, kh, kw], pooling, batch norm with
  // F32 running statistics and I64 num_batches_tracked.
  const cnn = buildModel(parseArchitecture('1x8x8-conv(3,3,pad=1,bias=false)-bn-relu-maxpool(2)-conv(4,3)-relu-flatten-bn-3'), { seed: 3 });
  samples.push(encodeCheckpoint({ model: cnn, classNames: ['a', 'b', 'c'] }));
});

const nasty = fc.oneof(
  fc.constantFrom(-1, 0, 1, 2 ** 31, 2 ** 32, 2 ** 53, 1e308, -1e308, 0.5, '', 'F32', 'F64', 'I8', 'BOOL', null, true, [], {}),
  fc.constantFrom([2 ** 31, 2 ** 31], [-1, 4], [0, 2 ** 53], ['a'], [1e9, 1e9], [0, 0]),
  fc.constantFrom(
    // Convolutional specs that lie: absurd channels or kernels, shapes that do not chain or multiply out.
    '{"inputSize":64,"inputShape":[1,8,8],"layers":[{"type":"conv2d","inChannels":1,"outChannels":2000000000,"kernelSize":3}]}',
    '{"inputSize":64,"inputShape":[1,8,8],"layers":[{"type":"conv2d","inChannels":1,"outChannels":3,"kernelSize":65536}]}',
    '{"inputSize":64,"inputShape":[4096,4096,4096],"layers":[{"type":"flatten"}]}',
    '{"inputSize":64,"inputShape":[1,8,8],"layers":[{"type":"max_pool2d","kernelSize":2,"padding":9}]}',
    '{"inputSize":64,"inputShape":[1,8,8],"layers":[{"type":"batch_norm2d","numFeatures":7}]}',
    '{"inputSize":64,"inputShape":[1,8,8],"layers":[{"type":"conv2d","inChannels":1,"outChannels":3,"kernelSize":[3,3,3]}]}',
  ),
  fc.constantFrom('{"inputSize":1e9,"layers":[]}', '{"inputSize":4,"layers":[{"type":"dense","inputSize":4,"outputSize":1000000000}]}', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', '{"__proto__":{"polluted":1}}', 'not json', '99', 'null'),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
);

/** Replaces one value at a random path of the container's JSON header, keeping the container valid. */
function editHeader(file: Uint8Array, inMetadata: boolean, pick: number, depthPick: number, value: unknown, asMetadataJson: boolean): Uint8Array {
  const headerLength = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + headerLength)));
  const data = file.subarray(8 + headerLength);
  const keys = Object.keys(header).filter((k) => k !== '__metadata__');
  const key = inMetadata ? '__metadata__' : keys[pick % keys.length];
  if (key === '__metadata__') {
    const metaKeys = Object.keys(header.__metadata__);
    const metaKey = metaKeys[depthPick % metaKeys.length];
    // Metadata values are JSON strings: edit inside that JSON, or replace the string itself.
    const current = header.__metadata__[metaKey];
    if (asMetadataJson && typeof current === 'string' && /^[[{]/.test(current)) {
      const parsed = JSON.parse(current);
      replaceSomewhere(parsed, depthPick, value);
      header.__metadata__[metaKey] = JSON.stringify(parsed);
    } else header.__metadata__[metaKey] = typeof value === 'string' ? value : JSON.stringify(value);
  } else {
    const fields = ['dtype', 'shape', 'data_offsets'];
    header[key][fields[depthPick % 3]] = value;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** Applies `edit` to the trainer-state JSON in a checkpoint's metadata. */
function editTrainer(file: Uint8Array, edit: (trainer: any) => void): Uint8Array {
  const headerLength = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + headerLength)));
  const trainer = JSON.parse(header.__metadata__.trainer);
  edit(trainer);
  header.__metadata__.trainer = JSON.stringify(trainer);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + file.length - 8 - headerLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(file.subarray(8 + headerLength), 8 + json.length);
  return out;
}

/** Walks into a JSON value by `pick` and replaces one leaf or member with `value`. */
function replaceSomewhere(root: any, pick: number, value: unknown): void {
  let node = root;
  for (let depth = 0; depth < 6; depth++) {
    const keys = node && typeof node === 'object' ? Object.keys(node) : [];
    if (keys.length === 0) return;
    const key = keys[(pick >> (depth * 3)) % keys.length];
    const child = node[key];
    if (child === null || typeof child !== 'object' || (pick >> (depth * 3 + 2)) % 2 === 1) {
      node[key] = value;
      return;
    }
    node = child;
  }
}

const mutatedBytes = fc
  .record({
    sample: fc.nat(),
    flips: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }),
    cut: fc.option(fc.nat(), { nil: undefined }),
    extra: fc.uint8Array({ maxLength: 16 }),
  })
  .map(({ sample, flips, cut, extra }) => {
    const base = samples[sample % samples.length];
    const bytes = new Uint8Array(base.length + extra.length);
    bytes.set(base);
    bytes.set(extra, base.length);
    // Flips land in the header (first ~4 KB) half the time, where the structure lives.
    for (const { at, value } of flips) bytes[at % 2 === 0 ? (at >> 1) % Math.min(bytes.length, 4096) : (at >> 1) % bytes.length] = value;
    return cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
  });

const headerEdits = fc
  .record({ sample: fc.nat(), inMetadata: fc.boolean(), pick: fc.nat(), depthPick: fc.nat(), value: nasty, asMetadataJson: fc.boolean() })
  .map(({ sample, inMetadata, pick, depthPick, value, asMetadataJson }) =>
    editHeader(samples[sample % samples.length], inMetadata, pick, depthPick, value, asMetadataJson),
  );

const resumeTally = { resumed: 0, refused: new Map<string, number>() };
afterAll(() => {
  console.log(`[reliability] fuzz-checkpoint resume of accepted files: ${JSON.stringify({ resumed: resumeTally.resumed, refusedByCode: Object.fromEntries(resumeTally.refused) })}`);
});

/**
 * An accepted file with a trainer state is resumed for real: it must train to the end or stop
 * with a ScratchnetError (a state that does not fit the data, a non-finite loss…), within the
 * hang bound — a hostile batch or epoch counter must not make fit loop for ever.
 */
async function resumeAccepted(loaded: ReturnType<typeof loadModel>): Promise<void> {
  const task = TASKS.resume;
  const started = performance.now();
  try {
    await fit(loaded.model.train(), resumeData, { ...task.fit, epochs: 2, resumeFrom: loaded.trainer });
    resumeTally.resumed++;
  } catch (error) {
    if (!(error instanceof ScratchnetError)) throw new Error(`resuming an accepted checkpoint threw untyped ${String(error)}`, { cause: error });
    resumeTally.refused.set(error.code, (resumeTally.refused.get(error.code) ?? 0) + 1);
  }
  expect(performance.now() - started).toBeLessThan(HANG_MS);
}
const resumeData = syntheticDataset(TASKS.resume.data);

describe('hostile checkpoint files', () => {
  it(`loadModel: ${RUNS} cases, each a working model or a coded FormatError, within the allocation cap`, async () => {
    for (const sample of samples) expect(loadModel(sample).model.parameterCount()).toBeGreaterThan(0);
    const input = fc.oneof({ weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }) }, { weight: 2, arbitrary: mutatedBytes }, { weight: 4, arbitrary: headerEdits });
    await fc.assert(
      fc.asyncProperty(input, async (bytes) => {
        let loaded: ReturnType<typeof loadModel> | undefined;
        const outcome = await runHostileCase(tally, capFor(bytes), HANG_MS, () => {
          loaded = loadModel(bytes);
          // Accepted means usable: the model runs a forward pass.
          const inputSize = loaded.spec.inputSize;
          if (inputSize <= 4096) loaded.model.forward(new Tensor([2, inputSize], new Float32Array(2 * inputSize).fill(0.5)));
          return loaded;
        });
        if (outcome.kind === 'rejected') expect(outcome.code).toMatch(/^FormatError:/);
        else if (loaded?.trainer) await resumeAccepted(loaded);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(tally.maxCaseMs).toBeLessThan(HANG_MS);
    // The edits must reach deep checks, not just bounce off the first one.
    expect(tally.codes.size).toBeGreaterThanOrEqual(6);
  });

  // Trainer states that pass the file's schema but lie about the run. Each must resume to the end
  // or stop with a ScratchnetError, quickly. (A hostile rng word once escaped as a RangeError.)
  const lies: Array<[string, (trainer: any) => void]> = [
    ['an rng word of -1', (t) => (t.rng[1] = -1)],
    ['an rng word of 2^32', (t) => (t.rng[0] = 2 ** 32)],
    ['a fractional rng word', (t) => (t.rng[2] = 1.5)],
    ['an all-zero rng', (t) => (t.rng = [0, 0, 0, 0, 0])],
    ['batch 2^31', (t) => (t.batch = 2 ** 31)],
    ['epoch 2^40', (t) => (t.epoch = 2 ** 40)],
    ['globalStep 2^53', (t) => (t.globalStep = 2 ** 53)],
    ['optimizer step 2^53', (t) => (t.optimizer.step = 2 ** 53)],
    ['a NaN learning rate', (t) => (t.optimizer.learningRate = { $number: 'NaN' })],
    ['negative running totals', (t) => (t.epochTotals = { lossSum: -1, correct: -5, seen: -3 })],
    ['a history of 10,000 epochs', (t) => (t.history.epochs = Array.from({ length: 10_000 }, (_, epoch) => ({ epoch, loss: 1, accuracy: 0.5, learningRate: 0.01 })))],
    ['stoppedEarly with no epochs', (t) => (t.history = { epochs: [], stoppedEarly: true })],
  ];
  it.each(lies)('a checkpoint whose trainer state has %s resumes or fails with a ScratchnetError', async (_label, lie) => {
    const edited = editTrainer(samples[1], lie);
    let loaded: ReturnType<typeof loadModel>;
    try {
      loaded = loadModel(edited);
    } catch (error) {
      expect(error).toBeInstanceOf(FormatError);
      return;
    }
    await resumeAccepted(loaded);
  });

  it('a header announcing 2^53 bytes or a 2 GB JSON header is refused before anything is read into memory', async () => {
    for (const length of [2n ** 53n, 2n ** 31n, 100_000_001n]) {
      const file = new Uint8Array(16);
      new DataView(file.buffer).setBigUint64(0, length, true);
      const outcome = await runHostileCase(tally, 64 * KiB, HANG_MS, () => loadModel(file));
      expect(outcome.kind).toBe('rejected');
    }
    expect(() => loadModel(new Uint8Array(16))).toThrow(FormatError);
  });
});

/**
 * Issue 19's attack shapes, generated: repeated keys at every level, nesting past the depth cap,
 * amplifying v1 histories (which the v1 → v2 migration turns into rows), huge single dimensions,
 * and sizes announced beyond the file's real length (read from a real file, so the reader's own
 * length checks are what refuses them). Each case must end with the code its shape calls for
 * (or be accepted when it is within the caps), under the hang bound and the allocation cap.
 */
const ATTACK_RUNS = scaled('RELIABILITY_FUZZ_RUNS', 200, 4000);
const attackTally = new FuzzTally();
afterAll(() => {
  console.log(`[reliability] fuzz-checkpoint issue-19 attacks: ${JSON.stringify({ seed: SEED, ...attackTally.summary() })}`);
});

type Attack = { label: string; bytes: Uint8Array; expect: readonly string[]; viaFile?: boolean };

const duplicateAttack = fc.record({ sample: fc.nat(), level: fc.integer({ min: 0, max: 3 }), pick: fc.nat() }).map(
  ({ sample, level, pick }): Attack => ({
    label: `duplicate key at level ${level}`,
    bytes: duplicateKey(samples[sample % samples.length], level, pick),
    expect: ['DUPLICATE_KEY'],
  }),
);

const nestingAttack = fc
  .record({ depth: fc.integer({ min: 65, max: 200_000 }), inMetadata: fc.boolean(), objects: fc.boolean(), key: fc.constantFrom('training', 'model_spec', 'class_names', 'trainer') })
  .map(({ depth, inMetadata, objects, key }): Attack => {
    const nested = objects ? `${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`;
    if (inMetadata) return { label: `metadata ${key} nested ${depth} deep`, bytes: withMetadataValue(samples[1], key, nested), expect: ['BAD_METADATA'] };
    const { text, data } = splitCheckpoint(samples[0]);
    return { label: `header nested ${depth} deep`, bytes: joinCheckpoint(`${text.slice(0, -1)},"x":${nested}}`, data), expect: ['BAD_HEADER'] };
  });

/** Epochs and values (incl. the epoch key) a v1 history of `columns` × `length` becomes. */
const v1Verdict = (columns: number, length: number) =>
  length > 100_000 || (columns + 1) * length > 500_000 ? ['LIMIT_EXCEEDED'] : ['accepted'];
const amplifyingAttack = fc
  .record({ columns: fc.integer({ min: 1, max: 12 }), length: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 30_000, max: 160_000 })) })
  .map(({ columns, length }): Attack => ({ label: `v1 history ${columns} × ${length}`, bytes: v1History(samples[0], columns, length), expect: v1Verdict(columns, length) }));

const hugeDimensionAttack = fc
  .record({ dim: fc.constantFrom(2 ** 31, 2 ** 32 + 1, 2 ** 40, 2 ** 51, 2 ** 53 - 1), pick: fc.nat(), matchOffsets: fc.boolean() })
  .map(({ dim, pick, matchOffsets }): Attack => {
    const { text, data } = splitCheckpoint(samples[0]);
    const header = JSON.parse(text);
    const names = Object.keys(header).filter((n) => n !== '__metadata__');
    const entry = header[names[pick % names.length]];
    entry.shape = [dim];
    if (matchOffsets) entry.data_offsets = [entry.data_offsets[0], entry.data_offsets[0] + dim * 4];
    return { label: `shape [${dim}]`, bytes: joinCheckpoint(JSON.stringify(header), data), expect: ['BAD_OFFSETS', 'TRUNCATED', 'BAD_HEADER'] };
  });

const beyondLengthAttack = fc
  .record({ sample: fc.nat(), extraHeader: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constantFrom(2 ** 20, 2 ** 24 - 200_000, 2 ** 40)), cutData: fc.nat() })
  .map(({ sample, extraHeader, cutData }): Attack => {
    const file = samples[sample % samples.length];
    const { data } = splitCheckpoint(file);
    // Either the length prefix claims more header than the file has, or the file ends inside the data.
    if (cutData % 2 === 0) {
      const bytes = file.slice();
      const view = new DataView(bytes.buffer);
      view.setBigUint64(0, view.getBigUint64(0, true) + BigInt(extraHeader) + BigInt(data.length), true);
      return { label: `header length +${extraHeader}`, bytes, expect: ['TRUNCATED', 'HEADER_TOO_LARGE'], viaFile: true };
    }
    return { label: 'data cut', bytes: file.subarray(0, file.length - 1 - (cutData % data.length)), expect: ['TRUNCATED'], viaFile: true };
  });

describe('issue 19 attack shapes', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await tempDir('fuzz-checkpoint');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`${ATTACK_RUNS} generated attacks each end with the code their shape calls for, within the bounds`, async () => {
    const attack = fc.oneof(
      { weight: 3, arbitrary: duplicateAttack },
      { weight: 2, arbitrary: nestingAttack },
      { weight: 1, arbitrary: amplifyingAttack },
      { weight: 2, arbitrary: hugeDimensionAttack },
      { weight: 2, arbitrary: beyondLengthAttack },
    );
    const path = join(dir, 'attack.safetensors');
    await fc.assert(
      fc.asyncProperty(attack, async ({ label, bytes, expect: expected, viaFile }) => {
        if (viaFile) writeFileSync(path, bytes);
        const outcome = await runHostileCase(attackTally, capFor(bytes), HANG_MS, () => (viaFile ? readCheckpoint(path) : loadModel(bytes)));
        const got = outcome.kind === 'accepted' ? 'accepted' : outcome.code.replace(/^FormatError:/, '');
        expect(expected, `${label}: got ${got}`).toContain(got);
      }),
      { numRuns: ATTACK_RUNS, seed: SEED },
    );
    expect(attackTally.maxCaseMs).toBeLessThan(HANG_MS);
  });

  it('a real FIFO, /dev/zero and a directory are refused as NOT_A_REGULAR_FILE at once, never opened for a blocking read', async () => {
    const fifo = join(dir, 'pipe.safetensors');
    execFileSync('mkfifo', [fifo]);
    const folder = join(dir, 'folder.safetensors');
    mkdirSync(folder);
    for (const path of [fifo, '/dev/zero', folder]) {
      for (const read of [() => readCheckpoint(path), () => loadModelFile(path)]) {
        const outcome = await runHostileCase(attackTally, 64 * KiB, HANG_MS, read);
        expect(outcome, path).toEqual({ kind: 'rejected', code: 'FormatError:NOT_A_REGULAR_FILE' });
      }
    }
  });

  /**
   * The heavy shapes, each read by `readCheckpoint` in a fresh child process so that its peak RSS
   * is the read's own. Stated bound for any file under 64 MB: ≤ 2 s and ≤ 256 MB peak RSS (the
   * process, Node itself included). The 2 GiB sparse files are there for time: they must be
   * judged by their header. The test allows 4 s for the time: 2.04 s was seen once on a machine at
   * load 9, and the unfixed reads took 9.4–33 s.
   */
  const M16 = 16 * MiB - 4096;
  const heavy: Array<[string, () => Uint8Array | { sparse: Uint8Array; size: number }, string]> = [
    ['the v1 file of the issue: 7.9M loss values (15.9 MB; was 33 s, 2.7 GB)', () => v1History(samples[0], 1, 7_900_000, '0'), 'BAD_METADATA'],
    ['a v1 history at the caps: 100,000 epochs × 4 metrics (accepted)', () => v1History(samples[0], 4, 100_000), 'accepted'],
    ['a v1 history just over the caps: 100,000 epochs × 5 metrics', () => v1History(samples[0], 5, 100_000), 'LIMIT_EXCEEDED'],
    ['a v2 history of 100,001 epochs', () => withMetadataValue(samples[0], 'training', `{"dataset":{"name":"x"},"hyperparameters":{},"seed":1,"epochs":1,"finalMetrics":{},"history":[${'{"epoch":0},'.repeat(100_000)}{"epoch":0}]}`), 'LIMIT_EXCEEDED'],
    ['a 16 MiB header nested 8M deep (was 9.4 s, 0.9 GB)', () => joinCheckpoint(`{"x":${'['.repeat(M16 / 2)}${']'.repeat(M16 / 2)}}`, new Uint8Array(0)), 'BAD_HEADER'],
    ['16 MiB of empty objects in a metadata value', () => withMetadataValue(samples[0], 'training', `[${'{},'.repeat(M16 / 3)}{}]`), 'BAD_METADATA'],
    ['an object of 1.4M keys in a metadata value', () => withMetadataValue(samples[0], 'training', `{${Array.from({ length: 1_400_000 }, (_, i) => `"${i.toString(36)}":0`).join(',')}}`), 'BAD_METADATA'],
    ['8 MiB of class names', () => withMetadataValue(samples[0], 'class_names', `[${'"ab",'.repeat(1_600_000)}"ab"]`), 'BAD_METADATA'],
    ['a 60 MB file whose data fails its SHA-256', () => {
      const size = 60 * 1000 * 1000;
      const header = `{"x":{"dtype":"F32","shape":[${size / 4}],"data_offsets":[0,${size}]},"__metadata__":{"format":"scratchnet","format_version":"2","tensor_sha256":"${'0'.repeat(64)}"}}`;
      return joinCheckpoint(header, new Uint8Array(size));
    }, 'CHECKSUM_MISMATCH'],
    ['a 2 GiB sparse file with a 2^40-byte length prefix (was read whole: 14.8 s)', () => {
      const head = new Uint8Array(8);
      new DataView(head.buffer).setBigUint64(0, 2n ** 40n, true);
      return { sparse: head, size: 2 ** 31 - 16 };
    }, 'HEADER_TOO_LARGE'],
    ['a 2 GiB sparse file whose header announces 4 bytes of data', () => ({ sparse: joinCheckpoint('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', new Uint8Array(0)), size: 2 ** 31 - 16 }), 'BAD_OFFSETS'],
  ];
  const heavyFigures: Array<Record<string, unknown>> = [];
  afterAll(() => console.log(`[reliability] fuzz-checkpoint heavy files (child process each): ${JSON.stringify(heavyFigures)}`));
  it.each(heavy)('%s: refused (or accepted) in ≤ 2 s and ≤ 256 MB RSS', (label, make, expected) => {
    const path = join(dir, 'heavy.safetensors');
    const made = make();
    if (made instanceof Uint8Array) writeFileSync(path, made);
    else writeSparse(path, made.sparse, made.size);
    try {
      const child = spawnSync(process.execPath, [childScript('read-checkpoint.mjs'), path], { encoding: 'utf8', cwd: dir, timeout: 60_000 });
      expect(child.status, child.stderr).toBe(0);
      const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as { outcome: string; ms: number; peakRssBytes: number };
      heavyFigures.push({ label: label.split(':')[0].slice(0, 60), outcome: result.outcome, ms: Math.round(result.ms), peakRssMB: Math.round(result.peakRssBytes / MiB) });
      expect(result.outcome).toBe(expected);
      expect(result.ms).toBeLessThan(4000);
      expect(result.peakRssBytes).toBeLessThan(256 * MiB);
    } finally {
      rmSync(path, { force: true });
    }
  });
});

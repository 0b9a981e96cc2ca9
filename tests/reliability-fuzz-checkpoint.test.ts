import { ScratchnetError, Tensor, type TrainingAbortedError, fit } from '@scratchnet/core';
import { FormatError, encodeCheckpoint, loadModel } from '@scratchnet/model-format';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASKS, buildTaskModel, classNamesOf, syntheticDataset } from './reliability/children/training-setup.mjs';
import { FuzzTally, runHostileCase } from './reliability/helpers/hostile-runner.js';
import { KiB } from './reliability/helpers/memory.js';
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
  const training = { dataset: { name: 'synthetic' }, hyperparameters: { lr: 0.01 }, seed: 42, epochs: 1, finalMetrics: { loss: 1 }, history: [{ epoch: 0, loss: 1.5 }] };
  samples.push(encodeCheckpoint({ model, classNames: classNamesOf(task) }));
  samples.push(encodeCheckpoint({ model, classNames: classNamesOf(task), training, optimizer: state.optimizer, trainer: state }));
});

const nasty = fc.oneof(
  fc.constantFrom(-1, 0, 1, 2 ** 31, 2 ** 32, 2 ** 53, 1e308, -1e308, 0.5, '', 'F32', 'F64', 'I8', 'BOOL', null, true, [], {}),
  fc.constantFrom([2 ** 31, 2 ** 31], [-1, 4], [0, 2 ** 53], ['a'], [1e9, 1e9], [0, 0]),
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

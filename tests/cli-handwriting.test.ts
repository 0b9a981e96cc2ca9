import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandwritingStore, HANDWRITING_FOLDER } from '../packages/desktop/src/main/handwriting-store.js';
import { decodeHandwritingFiles, HANDWRITING_FILE_NAMES } from '../packages/desktop/src/shared/handwriting-files.js';
import { type Harness, jsonLines, OFFLINE, runCli, startHarness } from './cli-harness.js';

/**
 * "Teach it your handwriting": the folder the desktop app keeps the drawings in is one
 * `scratchnet-cli train/eval --data-dir` reads. The drawings are the 29 the desktop's end-to-end
 * test drew with the mouse in chromium (23 for training, 6 held out), written here by the desktop
 * main process's own store (the module Electron runs), into a data folder of this test's. Your own
 * IDX files under MNIST's names are read as they are, checked for structure, not against MNIST's digests.
 */

let h: Harness;
let folder: string;
let heldOutLabels: number[];

beforeAll(async () => {
  h = await startHarness({ train: 20, test: 10 });
  const fixtures = resolve(import.meta.dirname, '../packages/desktop/test/fixtures/handwriting');
  const drawings = await decodeHandwritingFiles(Object.values(HANDWRITING_FILE_NAMES).map((name) => ({ name, bytes: readFileSync(join(fixtures, name)) })));
  heldOutLabels = [...drawings.heldOut.labels];
  ({ location: folder } = await createHandwritingStore(() => join(h.root, 'app-data')).save(drawings));
});
afterAll(() => h?.close());

describe('scratchnet-cli on the Teach screen’s folder', () => {
  it('is a folder of the four standard IDX files', () => {
    expect(folder).toBe(join(h.root, 'app-data', HANDWRITING_FOLDER));
    expect(readdirSync(folder).sort()).toEqual(['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte']);
  });

  it('train --data-dir trains on the 23 training drawings and tests on the 6 held out; eval --data-dir reads the same 6', async () => {
    const train = await runCli(h, ['train', '--data-dir', folder, '--arch', '784-32-10', '--epochs', '20', '--batch-size', '8', '--out', 'handwriting.safetensors', '--json'], {
      env: OFFLINE,
    });
    expect(train.code, train.stderr).toBe(0);
    const events = jsonLines(train.stdout);
    const done = events.find((e) => e.event === 'done')!;
    expect(events.filter((e) => e.event === 'epoch')).toHaveLength(20);
    // A count of the 6 held-out drawings, and the 23 training drawings learnt (20 epochs of a 784-32-10 network).
    expect(done.testAccuracy * 6).toBeCloseTo(Math.round(done.testAccuracy * 6), 6);
    expect(events.filter((e) => e.event === 'epoch').at(-1)!.trainAccuracy).toBeGreaterThan(0.8);

    const evaluated = await runCli(h, ['eval', 'handwriting.safetensors', '--data-dir', folder, '--json'], { env: OFFLINE });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const result = jsonLines(evaluated.stdout)[0];
    expect(result.count).toBe(6);
    expect(result.accuracy).toBeCloseTo(done.testAccuracy, 10);
    // The confusion matrix's rows are the held-out drawings' true labels.
    const perLabel = result.confusion.map((row: number[]) => row.reduce((a, b) => a + b, 0));
    expect(perLabel).toEqual(Array.from({ length: 10 }, (_, digit) => heldOutLabels.filter((l) => l === digit).length));
  });
});

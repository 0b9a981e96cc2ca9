import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCheckpointStore } from '../../src/main/checkpoint-store.js';
import { createDatasetStore } from '../../src/main/dataset-store.js';
import { createHandwritingStore } from '../../src/main/handwriting-store.js';
import type { DialogService } from '../../src/main/host-services.js';
import { registerIpcHandlers } from '../../src/main/ipc.js';
import { IpcChannel } from '../../src/shared/bridge-api.js';
import { APP_PAGE, FakeIpcMain } from '../helpers/fake-ipc.js';
import { appCheckpointValidator, tempDir } from '../helpers/fixtures.js';
import { greyPng } from '../helpers/grey-png.js';

/** A side × side PNG of one grey value. */
const flatPng = (side: number, value: number) => greyPng(side, side, new Uint8Array(side * side).fill(value));

let dir: Awaited<ReturnType<typeof tempDir>>;
let ipc: FakeIpcMain;
let picked: string | null;

beforeEach(async () => {
  dir = await tempDir();
  ipc = new FakeIpcMain();
  picked = null;
  const dialogs: DialogService = {
    chooseCheckpointToOpen: async () => null,
    chooseCheckpointSavePath: async () => null,
    chooseDatasetFiles: async () => null,
    chooseDatasetFolder: async () => picked,
  };
  const datasets = createDatasetStore(async () => {
    throw new Error('unused');
  }, { cacheDir: join(dir.path, 'cache') });
  registerIpcHandlers(ipc, { dialogs, checkpoints: createCheckpointStore(appCheckpointValidator()), datasets, handwriting: createHandwritingStore(() => dir.path) }, APP_PAGE);
});
afterEach(async () => {
  await dir.cleanup();
});

describe('dataset:pick-folder (loaded and checked in the main process)', () => {
  it('a folder of class folders of images of any size comes back as 28×28 grey splits with the folder names as classes; skips are counted', async () => {
    const root = join(dir.path, 'shades');
    for (const [name, value] of [['dark', 30], ['light', 220]] as const) {
      await mkdir(join(root, name), { recursive: true });
      for (let i = 0; i < 10; i++) await writeFile(join(root, name, `${i}.png`), flatPng(i % 2 ? 28 : 56, value));
    }
    await writeFile(join(root, 'dark', 'notes.txt'), 'not an image');
    await writeFile(join(root, 'light', 'broken.png'), flatPng(28, 1).subarray(0, 40));
    picked = root;
    const result = await ipc.invoke(IpcChannel.pickDatasetFolder, []);
    expect(result.ok, JSON.stringify(result.error)).toBe(true);
    const value = result.value;
    expect(value.label).toBe('shades');
    expect(value.classNames).toEqual(['dark', 'light']);
    expect(value.skipped).toEqual({ nonImages: 1, unreadable: 1 });
    expect([value.train.count, value.test.count]).toEqual([18, 2]);
    expect([value.train.rows, value.train.cols]).toEqual([28, 28]);
    for (let i = 0; i < value.train.count; i++) expect(value.train.images[i * 784 + 100]).toBe(value.train.labels[i] === 0 ? 30 : 220);
    // Only the data crosses: buffers of exactly the split's size.
    expect(value.train.images.buffer.byteLength).toBe(18 * 784);
  });

  it('a CSV file works the same way; a single class is a typed error with the hint; cancel is null', async () => {
    const csv = join(dir.path, 'pixels.csv');
    const rows = Array.from({ length: 20 }, (_, r) => [r % 2 ? 'b' : 'a', ...new Array(784).fill(r % 2 ? 200 : 10)].join(','));
    await writeFile(csv, `label,${Array.from({ length: 784 }, (_, i) => `p${i}`).join(',')}\n${rows.join('\n')}\n`);
    picked = csv;
    const fromCsv = await ipc.invoke(IpcChannel.pickDatasetFolder, []);
    expect(fromCsv.ok).toBe(true);
    expect(fromCsv.value.classNames).toEqual(['a', 'b']);
    expect(fromCsv.value.train.count + fromCsv.value.test.count).toBe(20);

    const single = join(dir.path, 'single');
    await mkdir(join(single, 'only'), { recursive: true });
    await writeFile(join(single, 'only', '0.png'), flatPng(28, 5));
    picked = single;
    const refused = await ipc.invoke(IpcChannel.pickDatasetFolder, []);
    expect(refused.ok).toBe(false);
    expect(refused.error.code).toBe('dataset/NOT_ENOUGH_DATA');
    expect(refused.error.message).toMatch(/one class folder \('only'\)/);
    expect(refused.error.hint).toMatch(/at least two classes/);

    picked = null;
    expect(await ipc.invoke(IpcChannel.pickDatasetFolder, [])).toEqual({ ok: true, value: null });
  });
});

import { lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseIdx } from '@scratchnet/datasets';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHandwritingStore, HANDWRITING_FOLDER } from '../../src/main/handwriting-store.js';
import { registerIpcHandlers } from '../../src/main/ipc.js';
import { createPreloadApi } from '../../src/preload/preload-api.js';
import { createElectronBridge } from '../../src/renderer/src/bridge/electron-bridge.js';
import { IpcChannel } from '../../src/shared/bridge-api.js';
import { DesktopErrorCode } from '../../src/shared/desktop-error.js';
import { HANDWRITING_FILE_NAMES, type HandwritingSplits } from '../../src/shared/handwriting-files.js';
import { APP_PAGE, FakeIpcMain } from '../helpers/fake-ipc.js';
import { tempDir } from '../helpers/fixtures.js';

/**
 * The main process's store for "Teach it your handwriting", run under Node (Electron's binary is
 * not installed here): real files in a temporary data folder, through the real IPC handlers.
 */
let dir: Awaited<ReturnType<typeof tempDir>>;
let ipc: FakeIpcMain;
const folder = () => join(dir.path, HANDWRITING_FOLDER);

/** `n` drawings whose pixels say which one they are (drawing i is filled with i + `offset`), labels i % 10. */
function digits(n: number, offset = 0) {
  const images = new Uint8Array(n * 784);
  for (let i = 0; i < n; i++) images.fill((i + offset) % 256, i * 784, (i + 1) * 784);
  return { count: n, images, labels: Uint8Array.from({ length: n }, (_, i) => (i + offset) % 10) };
}

function splits(train: number, heldOut: number): HandwritingSplits {
  return { train: digits(train), heldOut: digits(heldOut, 100) };
}

beforeEach(async () => {
  dir = await tempDir();
  ipc = new FakeIpcMain();
  const unused = async () => {
    throw new Error('unused');
  };
  registerIpcHandlers(
    ipc,
    {
      dialogs: { chooseCheckpointToOpen: unused, chooseCheckpointSavePath: unused, chooseDatasetFiles: unused, chooseDatasetFolder: unused },
      checkpoints: { read: unused, write: unused },
      datasets: { load: unused, readFiles: unused, readFolder: unused },
      handwriting: createHandwritingStore(() => dir.path),
    },
    APP_PAGE,
  );
});
afterEach(async () => {
  await dir.cleanup();
});

describe('handwriting:load and handwriting:save', () => {
  it('starts empty (no folder yet) and says where the drawings will be', async () => {
    const result = await ipc.invoke(IpcChannel.loadHandwriting, []);
    expect(result.ok).toBe(true);
    expect(result.value.location).toBe(folder());
    expect(result.value.train.count).toBe(0);
    expect(result.value.heldOut.count).toBe(0);
  });

  it('writes the four standard MNIST IDX files, readable as any IDX reader reads them, and loads them back', async () => {
    const saved = await ipc.invoke(IpcChannel.saveHandwriting, [splits(23, 6)]);
    expect(saved).toEqual({ ok: true, value: { location: folder() } });
    expect((await readdir(folder())).sort()).toEqual(Object.values(HANDWRITING_FILE_NAMES).sort());
    const trainImages = parseIdx(await readFile(join(folder(), 'train-images-idx3-ubyte')));
    const trainLabels = parseIdx(await readFile(join(folder(), 'train-labels-idx1-ubyte')));
    const testImages = parseIdx(await readFile(join(folder(), 't10k-images-idx3-ubyte')));
    const testLabels = parseIdx(await readFile(join(folder(), 't10k-labels-idx1-ubyte')));
    expect([trainImages.type, trainImages.dims]).toEqual(['ubyte', [23, 28, 28]]);
    expect([testImages.type, testImages.dims]).toEqual(['ubyte', [6, 28, 28]]);
    expect([...trainLabels.data]).toEqual(Array.from({ length: 23 }, (_, i) => i % 10));
    expect([...testLabels.data]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(testImages.data[5 * 784 + 400]).toBe(105);
    // Only the owner may read the drawings' folder.
    expect((await lstat(folder())).mode & 0o777).toBe(0o700);

    const loaded = await ipc.invoke(IpcChannel.loadHandwriting, []);
    expect(loaded.value.train.count).toBe(23);
    expect(loaded.value.heldOut.count).toBe(6);
    expect(Buffer.from(loaded.value.train.images).equals(Buffer.from(digits(23).images))).toBe(true);
    expect([...loaded.value.heldOut.labels]).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('replaces the set on each save (a deletion shrinks the files) and leaves no temporary files', async () => {
    await ipc.invoke(IpcChannel.saveHandwriting, [splits(24, 6)]);
    await ipc.invoke(IpcChannel.saveHandwriting, [splits(23, 6)]);
    expect((await readdir(folder())).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(parseIdx(await readFile(join(folder(), 'train-labels-idx1-ubyte'))).dims).toEqual([23]);
  });

  it('runs concurrent saves one at a time, in order: the last one sent is what stays', async () => {
    const sizes = [5, 9, 2, 7, 3];
    const results = await Promise.all(sizes.map((n) => ipc.invoke(IpcChannel.saveHandwriting, [splits(n, 1)])));
    expect(results.every((r) => r.ok)).toBe(true);
    const loaded = await ipc.invoke(IpcChannel.loadHandwriting, []);
    expect(loaded.value.train.count).toBe(3);
  });

  it('refuses malformed sets before touching the disk: wrong sizes, a label above 9, extra keys, too many', async () => {
    const bad = [
      { train: { count: 2, images: new Uint8Array(784), labels: new Uint8Array(2) }, heldOut: digits(0) },
      { train: { count: 1, images: new Uint8Array(784), labels: Uint8Array.of(10) }, heldOut: digits(0) },
      { train: digits(1), heldOut: digits(0), path: '/etc' },
      { train: { count: 100_001, images: new Uint8Array(0), labels: new Uint8Array(0) }, heldOut: digits(0) },
      { train: digits(1) },
    ];
    for (const request of bad) {
      const result = await ipc.invoke(IpcChannel.saveHandwriting, [request]);
      expect(result, JSON.stringify(Object.keys(request))).toMatchObject({ ok: false, error: { code: `desktop/${DesktopErrorCode.INVALID_REQUEST}` } });
    }
    await expect(lstat(folder())).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses messages from any page but the app’s own', async () => {
    const result = await ipc.invoke(IpcChannel.saveHandwriting, [splits(1, 0)], { url: 'https://example.com/' });
    expect(result).toMatchObject({ ok: false, error: { code: `desktop/${DesktopErrorCode.UNTRUSTED_SENDER}` } });
  });

  it('never writes through a symbolic link in place of the folder', async () => {
    const elsewhere = join(dir.path, 'elsewhere');
    await mkdir(elsewhere);
    await symlink(elsewhere, folder());
    const result = await ipc.invoke(IpcChannel.saveHandwriting, [splits(2, 1)]);
    expect(result).toMatchObject({ ok: false, error: { code: `desktop/${DesktopErrorCode.INVALID_FILE}` } });
    expect(await readdir(elsewhere)).toEqual([]);
  });

  it('never replaces a symbolic link in place of one of the files', async () => {
    await mkdir(folder(), { recursive: true });
    const target = join(dir.path, 'precious');
    await writeFile(target, 'keep me');
    await symlink(target, join(folder(), HANDWRITING_FILE_NAMES.trainLabels));
    const result = await ipc.invoke(IpcChannel.saveHandwriting, [splits(2, 1)]);
    expect(result).toMatchObject({ ok: false, error: { code: `desktop/${DesktopErrorCode.INVALID_FILE}` } });
    expect(await readFile(target, 'utf8')).toBe('keep me');
  });

  it('reports half a pair or mismatched counts as an invalid file that says what to do', async () => {
    await ipc.invoke(IpcChannel.saveHandwriting, [splits(4, 2)]);
    await writeFile(join(folder(), HANDWRITING_FILE_NAMES.heldOutLabels), (await readFile(join(folder(), HANDWRITING_FILE_NAMES.trainLabels))));
    const mismatched = await ipc.invoke(IpcChannel.loadHandwriting, []);
    expect(mismatched).toMatchObject({ ok: false, error: { code: `desktop/${DesktopErrorCode.INVALID_FILE}` } });
    expect(mismatched.error.message).toMatch(/held-out drawings.*2 drawings need .* and 2 labels, got .* and 4.*delete or move the files/);
  });

  it('reaches the renderer through the preload and the Electron bridge as plain values and typed errors', async () => {
    const bridge = createElectronBridge(
      createPreloadApi({
        invoke: (channel, ...args) => ipc.invoke(channel, args),
        on: () => undefined,
        removeListener: () => undefined,
      }),
    );
    expect(await bridge.saveHandwriting(splits(3, 1))).toEqual({ location: folder() });
    const back = await bridge.loadHandwriting();
    expect([back.train.count, back.heldOut.count]).toEqual([3, 1]);
    const error = await bridge.saveHandwriting({ train: digits(1), heldOut: { count: 1, images: new Uint8Array(5), labels: new Uint8Array(1) } }).catch((e) => e);
    expect(error).toMatchObject({ namespace: 'desktop', code: DesktopErrorCode.INVALID_REQUEST });
    expect(error.message).toMatch(/heldOut\.images: images must hold count × 784 bytes/);
  });
});

import { ERROR_TABLE, errorEntry } from '@scratchnet/core';
import { DatasetError, DatasetErrorCode } from '@scratchnet/datasets';
import { DesktopError, DesktopErrorCode } from '../../src/shared/desktop-error.js';
import { toEnvelope } from '../../src/shared/error-envelope.js';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCheckpointStore } from '../../src/main/checkpoint-store.js';
import { createDatasetStore, type NamedDatasetLoader } from '../../src/main/dataset-store.js';
import { createHandwritingStore } from '../../src/main/handwriting-store.js';
import type { DialogService, HostServices } from '../../src/main/host-services.js';
import { registerIpcHandlers } from '../../src/main/ipc.js';
import { createNamedDatasetLoader, ownBuffer } from '../../src/main/named-datasets.js';
import { IpcChannel } from '../../src/shared/bridge-api.js';
import { APP_PAGE, FakeIpcMain } from '../helpers/fake-ipc.js';
import { appCheckpointValidator, checkpointBytes, idxPair, sharedFashionMnist, tempDir } from '../helpers/fixtures.js';

/** Dialog answers a test sets up in advance; records what was asked. */
class ScriptedDialogs implements DialogService {
  openPath: string | null = null;
  savePath: string | null = null;
  datasetPaths: string[] | null = null;
  suggested: string[] = [];
  async chooseCheckpointToOpen() {
    return this.openPath;
  }
  async chooseCheckpointSavePath(name: string) {
    this.suggested.push(name);
    return this.savePath;
  }
  async chooseDatasetFiles() {
    return this.datasetPaths;
  }
  datasetFolder: string | null = null;
  async chooseDatasetFolder() {
    return this.datasetFolder;
  }
}

let dir: Awaited<ReturnType<typeof tempDir>>;
let ipc: FakeIpcMain;
let dialogs: ScriptedDialogs;
let namedCalls: unknown[];

function setUp(loadNamed?: NamedDatasetLoader): void {
  ipc = new FakeIpcMain();
  dialogs = new ScriptedDialogs();
  namedCalls = [];
  const services: HostServices = {
    dialogs,
    checkpoints: createCheckpointStore(appCheckpointValidator()),
    datasets: createDatasetStore(
      loadNamed ??
        (async (request) => {
          namedCalls.push(request);
          throw new Error('not used');
        }),
    ),
    handwriting: createHandwritingStore(() => dir.path),
  };
  registerIpcHandlers(ipc, services, APP_PAGE);
}

beforeEach(async () => {
  dir = await tempDir();
  setUp();
});
afterEach(async () => {
  await dir.cleanup();
});

describe('checkpoint:open', () => {
  it('returns the bytes of a valid checkpoint the user picked', async () => {
    const bytes = checkpointBytes();
    dialogs.openPath = join(dir.path, 'digits.safetensors');
    await writeFile(dialogs.openPath, bytes);
    const result = await ipc.invoke(IpcChannel.openCheckpoint, []);
    expect(result.ok).toBe(true);
    expect(result.value.name).toBe('digits.safetensors');
    expect(Buffer.from(result.value.bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('answers null when the dialog is cancelled', async () => {
    expect(await ipc.invoke(IpcChannel.openCheckpoint, [])).toEqual({ ok: true, value: null });
  });

  it('refuses a file that is not a checkpoint, with the format error code', async () => {
    dialogs.openPath = join(dir.path, 'notes.safetensors');
    await writeFile(dialogs.openPath, 'hello, this is not a checkpoint');
    const result = await ipc.invoke(IpcChannel.openCheckpoint, []);
    expect(result.ok).toBe(false);
    // The code and hint of core's one error table: what the CLI prints for the same file.
    expect(result.error.code).toMatch(/^(format|desktop)\/[A-Z_]+$/);
    expect(result.error.code).not.toBe('desktop/INTERNAL');
    expect(result.error.message.length).toBeGreaterThan(10);
  });

  it('sends a data-set error with the same namespaced code and hint as the CLI (core error table)', async () => {
    dialogs.openPath = '/dev/null/not-there.safetensors';
    const result = await ipc.invoke(IpcChannel.openCheckpoint, []);
    expect(result).toMatchObject({ ok: false, error: { code: 'desktop/FILE_ACCESS' } });
    const entry = errorEntry(new DesktopError(DesktopErrorCode.FILE_ACCESS, 'x'));
    expect(entry?.code).toBe('desktop/FILE_ACCESS');
    const cliError = toEnvelope(new DatasetError(DatasetErrorCode.NOT_A_FILE, 'a FIFO'));
    expect(cliError).toEqual({ code: 'dataset/NOT_A_FILE', message: 'a FIFO', hint: ERROR_TABLE['dataset/NOT_A_FILE'].hint });
  });

  it('refuses a checkpoint whose tensor data was altered (digest check)', async () => {
    const bytes = checkpointBytes();
    bytes[bytes.length - 1] ^= 0xff;
    dialogs.openPath = join(dir.path, 'tampered.safetensors');
    await writeFile(dialogs.openPath, bytes);
    const result = await ipc.invoke(IpcChannel.openCheckpoint, []);
    expect(result.ok).toBe(false);
  });

  it('reports a missing file as FILE_ACCESS', async () => {
    dialogs.openPath = join(dir.path, 'gone.safetensors');
    const result = await ipc.invoke(IpcChannel.openCheckpoint, []);
    expect(result).toMatchObject({ ok: false, error: { code: 'desktop/FILE_ACCESS' } });
    expect(result.error.message).toContain('ENOENT');
  });

  it('rejects unexpected arguments', async () => {
    const result = await ipc.invoke(IpcChannel.openCheckpoint, ['/etc/passwd']);
    expect(result).toMatchObject({ ok: false, error: { code: 'desktop/INVALID_REQUEST' } });
  });
});

describe('checkpoint:save', () => {
  it('writes the bytes where the user chose, leaving no temporary files', async () => {
    const bytes = checkpointBytes(5);
    dialogs.savePath = join(dir.path, 'model.safetensors');
    const result = await ipc.invoke(IpcChannel.saveCheckpoint, [{ suggestedName: 'digits-784-8-10.safetensors', bytes }]);
    expect(result).toEqual({ ok: true, value: { name: dialogs.savePath } });
    expect(dialogs.suggested).toEqual(['digits-784-8-10.safetensors']);
    expect(Buffer.from(await readFile(dialogs.savePath)).equals(Buffer.from(bytes))).toBe(true);
    expect(await readdir(dir.path)).toEqual(['model.safetensors']);
  });

  it('replaces an existing checkpoint in one step', async () => {
    dialogs.savePath = join(dir.path, 'model.safetensors');
    await writeFile(dialogs.savePath, checkpointBytes(1));
    const second = checkpointBytes(2);
    await ipc.invoke(IpcChannel.saveCheckpoint, [{ suggestedName: 'm.safetensors', bytes: second }]);
    expect(Buffer.from(await readFile(dialogs.savePath)).equals(Buffer.from(second))).toBe(true);
  });

  it('refuses bytes that are not a checkpoint and writes nothing', async () => {
    dialogs.savePath = join(dir.path, 'model.safetensors');
    const result = await ipc.invoke(IpcChannel.saveCheckpoint, [{ suggestedName: 'm.safetensors', bytes: new Uint8Array([1, 2, 3]) }]);
    expect(result.ok).toBe(false);
    expect(existsSync(dialogs.savePath)).toBe(false);
    expect(await readdir(dir.path)).toEqual([]);
  });

  it.each([
    ['a path instead of a name', { suggestedName: '../../etc/model.safetensors', bytes: new Uint8Array(8) }],
    ['a Windows path', { suggestedName: 'C:\\model.safetensors', bytes: new Uint8Array(8) }],
    ['an empty buffer', { suggestedName: 'm.safetensors', bytes: new Uint8Array(0) }],
    ['a plain array for bytes', { suggestedName: 'm.safetensors', bytes: [1, 2, 3] }],
    ['an extra key', { suggestedName: 'm.safetensors', bytes: new Uint8Array(8), path: '/tmp/x' }],
    ['no object at all', 'model.safetensors'],
  ])('rejects %s before any dialog opens', async (_label, request) => {
    dialogs.savePath = join(dir.path, 'model.safetensors');
    const result = await ipc.invoke(IpcChannel.saveCheckpoint, [request]);
    expect(result).toMatchObject({ ok: false, error: { code: 'desktop/INVALID_REQUEST' } });
    expect(dialogs.suggested).toEqual([]);
  });
});

describe('sender check', () => {
  it.each([
    ['another site', { url: 'https://example.com/' }],
    ['a file page', { url: 'file:///tmp/evil.html' }],
    ['an iframe inside the app', { url: APP_PAGE, parent: {} }],
    ['a look-alike host', { url: 'app://scratchnet.evil/index.html' }],
  ])('refuses messages from %s', async (_label, options) => {
    dialogs.openPath = join(dir.path, 'x.safetensors');
    const result = await ipc.invoke(IpcChannel.openCheckpoint, [], options);
    expect(result).toMatchObject({ ok: false, error: { code: 'desktop/UNTRUSTED_SENDER' } });
    const load = await ipc.invoke(IpcChannel.loadDataset, [{ name: 'mnist', split: 'train' }], options);
    expect(load).toMatchObject({ ok: false, error: { code: 'desktop/UNTRUSTED_SENDER' } });
    expect(namedCalls).toEqual([]);
  });
});

describe('dataset:pick-files', () => {
  it('reads an images file and a gzip-compressed labels file in either order', async () => {
    const { images, labels } = idxPair(30);
    const imagesPath = join(dir.path, 'images-idx3-ubyte');
    const labelsPath = join(dir.path, 'labels-idx1-ubyte.gz');
    await writeFile(imagesPath, images);
    await writeFile(labelsPath, gzipSync(labels));
    for (const order of [[imagesPath, labelsPath], [labelsPath, imagesPath]]) {
      dialogs.datasetPaths = order;
      const result = await ipc.invoke(IpcChannel.pickDatasetFiles, []);
      expect(result.ok).toBe(true);
      expect(result.value).toMatchObject({ count: 30, rows: 28, cols: 28, source: 'images-idx3-ubyte' });
      expect(result.value.images[17 * 784 + 100]).toBe(17);
      expect([...result.value.labels.slice(0, 12)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    }
  });

  it('refuses files whose counts disagree', async () => {
    const a = idxPair(30);
    const b = idxPair(20);
    dialogs.datasetPaths = [join(dir.path, 'i'), join(dir.path, 'l')];
    await writeFile(dialogs.datasetPaths[0], a.images);
    await writeFile(dialogs.datasetPaths[1], b.labels);
    const result = await ipc.invoke(IpcChannel.pickDatasetFiles, []);
    expect(result).toMatchObject({ ok: false, error: { code: 'desktop/INVALID_FILE' } });
    expect(result.error.message).toContain('30 images but');
  });

  it('refuses a truncated IDX file with the datasets error code', async () => {
    const { images, labels } = idxPair(10);
    dialogs.datasetPaths = [join(dir.path, 'i'), join(dir.path, 'l')];
    await writeFile(dialogs.datasetPaths[0], images.subarray(0, images.length - 5));
    await writeFile(dialogs.datasetPaths[1], labels);
    const result = await ipc.invoke(IpcChannel.pickDatasetFiles, []);
    expect(result).toMatchObject({ ok: false, error: { code: 'dataset/TRUNCATED' } });
  });
});

describe('dataset:load', () => {
  it('validates the name against the closed list', async () => {
    const result = await ipc.invoke(IpcChannel.loadDataset, [{ name: '../../etc', split: 'train' }]);
    expect(result).toMatchObject({ ok: false, error: { code: 'desktop/INVALID_REQUEST' } });
    expect(namedCalls).toEqual([]);
  });

  it('forwards download progress to the window that asked', async () => {
    setUp(async (request, onProgress) => {
      onProgress({ source: 'train-images-idx3-ubyte.gz', receivedBytes: 10, totalBytes: 100 });
      return { source: request.name, count: 0, rows: 28, cols: 28, images: new Uint8Array(0), labels: new Uint8Array(0) };
    });
    const sent: unknown[][] = [];
    const result = await ipc.invoke(IpcChannel.loadDataset, [{ name: 'fashion-mnist', split: 'test' }], { sent });
    expect(result.ok).toBe(true);
    expect(sent).toEqual([[IpcChannel.datasetProgress, { source: 'train-images-idx3-ubyte.gz', receivedBytes: 10, totalBytes: 100 }]]);
  });

  it('asks for KMNIST by the CLI\'s name, and refuses a name that is not a data set the app offers', async () => {
    const result = await ipc.invoke(IpcChannel.loadDataset, [{ name: 'kmnist', split: 'train' }]);
    expect(result.ok).toBe(false);
    expect(namedCalls).toEqual([{ name: 'kmnist', split: 'train' }]);
    const refused = await ipc.invoke(IpcChannel.loadDataset, [{ name: 'emnist', split: 'train' }]);
    expect(refused.ok).toBe(false);
    expect(namedCalls).toHaveLength(1);
  });

  it('gives a split that is a view into a larger buffer its own buffer before it crosses IPC', () => {
    const whole = Uint8Array.from({ length: 100 }, (_, i) => i);
    const view = whole.subarray(10, 30);
    const own = ownBuffer(view);
    expect(own.buffer.byteLength).toBe(20);
    expect([...own]).toEqual([...view]);
    expect(ownBuffer(whole)).toBe(whole);
  });

  it.skipIf(!existsSync(sharedFashionMnist))('loads real Fashion-MNIST through @scratchnet/datasets (train and test)', async () => {
    setUp(createNamedDatasetLoader({ dataDir: sharedFashionMnist, offline: true }));
    const train = await ipc.invoke(IpcChannel.loadDataset, [{ name: 'fashion-mnist', split: 'train' }]);
    const test = await ipc.invoke(IpcChannel.loadDataset, [{ name: 'fashion-mnist', split: 'test' }]);
    expect(train.ok && test.ok).toBe(true);
    expect(train.value).toMatchObject({ count: 60_000, rows: 28, cols: 28 });
    expect(test.value).toMatchObject({ count: 10_000, rows: 28, cols: 28 });
    // Same bytes as the files on disk: the labels file's payload starts after its 8-byte header.
    // Each split travels in a buffer of its own (IPC would copy a whole shared buffer).
    expect(train.value.images.buffer.byteLength).toBe(60_000 * 784);
    expect(test.value.images.buffer.byteLength).toBe(10_000 * 784);
    const labels = gunzipSync(await readFile(join(sharedFashionMnist, 't10k-labels-idx1-ubyte.gz')));
    expect(Buffer.from(test.value.labels).equals(labels.subarray(8))).toBe(true);
    const images = gunzipSync(await readFile(join(sharedFashionMnist, 't10k-images-idx3-ubyte.gz')));
    expect(Buffer.from(test.value.images.subarray(0, 784 * 5)).equals(images.subarray(16, 16 + 784 * 5))).toBe(true);
  });
});

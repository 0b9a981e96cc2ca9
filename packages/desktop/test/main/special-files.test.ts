import { execFileSync } from 'node:child_process';
import { closeSync, constants, lstatSync, openSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCheckpointStore } from '../../src/main/checkpoint-store.js';
import { createDatasetStore } from '../../src/main/dataset-store.js';
import { createHandwritingStore } from '../../src/main/handwriting-store.js';
import type { DialogService } from '../../src/main/host-services.js';
import { registerIpcHandlers } from '../../src/main/ipc.js';
import { IpcChannel } from '../../src/shared/bridge-api.js';
import { APP_PAGE, FakeIpcMain } from '../helpers/fake-ipc.js';
import { appCheckpointValidator, checkpointBytes, idxPair, tempDir } from '../helpers/fixtures.js';

/**
 * Files picked in a dialog that are not regular files — a FIFO (opening one for reading waits for
 * a writer forever), a character device (/dev/zero never ends) — are refused before they are
 * opened, and a save never replaces one.
 */
const dialogs: DialogService & { openPath: string | null; savePath: string | null; datasetPaths: string[] | null } = {
  openPath: null,
  savePath: null,
  datasetPaths: null,
  chooseCheckpointToOpen: async () => dialogs.openPath,
  chooseCheckpointSavePath: async () => dialogs.savePath,
  chooseDatasetFiles: async () => dialogs.datasetPaths,
  chooseDatasetFolder: async () => null,
};

let dir: Awaited<ReturnType<typeof tempDir>>;
let fifo: string;
let ipc: FakeIpcMain;

beforeEach(async () => {
  dir = await tempDir();
  fifo = join(dir.path, 'pipe.safetensors');
  execFileSync('mkfifo', [fifo]);
  ipc = new FakeIpcMain();
  registerIpcHandlers(ipc, { dialogs, checkpoints: createCheckpointStore(appCheckpointValidator()), datasets: createDatasetStore(async () => { throw new Error('unused'); }), handwriting: createHandwritingStore(() => dir.path) }, APP_PAGE);
});
afterEach(async () => {
  releaseBlockedReaders(fifo);
  await dir.cleanup();
});

/** A reader stuck opening the FIFO (the bug) holds a libuv thread: opening the write end lets it go. */
function releaseBlockedReaders(path: string): void {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {
    // ENXIO: nobody is waiting on it.
  }
}

/** The handler's answer, or a failure if it has not answered within 3 s (a hang). */
async function invokeWithin(channel: string, args: unknown[] = []): Promise<any> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${channel} hung for 3 s`)), 3000);
  });
  try {
    return await Promise.race([ipc.invoke(channel, args), hang]);
  } finally {
    clearTimeout(timer);
  }
}

describe('non-regular files are refused before opening', () => {
  it('a FIFO picked as a checkpoint', async () => {
    dialogs.openPath = fifo;
    const result = await invokeWithin(IpcChannel.openCheckpoint);
    expect(result).toMatchObject({ ok: false, error: { code: 'desktop/INVALID_FILE' } });
    expect(result.error.message).toMatch(/pipe\.safetensors is not a regular file \(a FIFO\)/);
  });

  it('a character device (/dev/zero) picked as a checkpoint', async () => {
    dialogs.openPath = '/dev/zero';
    const result = await invokeWithin(IpcChannel.openCheckpoint);
    expect(result).toMatchObject({ ok: false, error: { code: 'desktop/INVALID_FILE' } });
    expect(result.error.message).toMatch(/zero is not a regular file \(a character device\)/);
  });

  it('a folder picked as a checkpoint', async () => {
    dialogs.openPath = dir.path;
    expect(await invokeWithin(IpcChannel.openCheckpoint)).toMatchObject({ ok: false, error: { code: 'desktop/INVALID_FILE' } });
  });

  it('a FIFO picked as an IDX file', async () => {
    const labels = join(dir.path, 'labels.idx');
    await writeFile(labels, idxPair(3).labels);
    dialogs.datasetPaths = [fifo, labels];
    const result = await invokeWithin(IpcChannel.pickDatasetFiles);
    expect(result).toMatchObject({ ok: false, error: { code: 'desktop/INVALID_FILE' } });
    expect(result.error.message).toContain('not a regular file');
  });

  it('/dev/zero picked as an IDX file', async () => {
    const labels = join(dir.path, 'labels.idx');
    await writeFile(labels, idxPair(3).labels);
    dialogs.datasetPaths = ['/dev/zero', labels];
    expect(await invokeWithin(IpcChannel.pickDatasetFiles)).toMatchObject({ ok: false, error: { code: 'desktop/INVALID_FILE' } });
  });

  it('a symbolic link to a real checkpoint still opens', async () => {
    const real = join(dir.path, 'real.safetensors');
    await writeFile(real, checkpointBytes());
    dialogs.openPath = join(dir.path, 'link.safetensors');
    execFileSync('ln', ['-s', real, dialogs.openPath]);
    expect(await invokeWithin(IpcChannel.openCheckpoint)).toMatchObject({ ok: true, value: { name: 'link.safetensors' } });
  });
});

describe('a save never replaces a non-regular file', () => {
  it('saving over a FIFO is refused and the FIFO stays a FIFO', async () => {
    dialogs.savePath = fifo;
    const result = await invokeWithin(IpcChannel.saveCheckpoint, [{ suggestedName: 'a.safetensors', bytes: checkpointBytes() }]);
    expect(result).toMatchObject({ ok: false, error: { code: 'desktop/INVALID_FILE' } });
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});

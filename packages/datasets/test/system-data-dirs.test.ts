import { mkdir, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatasetErrorCode, SYSTEM_DATA_DIRS, loadDataset, systemDataDirs } from '../src/node.js';
import { makeFixture, tempDir } from './helpers/fixture-dataset.js';

/**
 * SCRATCHNET_SYSTEM_DATA_DIRS decides where loadDataset looks for distribution-installed data
 * sets (Debian's /usr/share/datasets by default). The test setup sets it to '' for every test;
 * here a fake "system" folder proves both directions.
 */
describe('SCRATCHNET_SYSTEM_DATA_DIRS', () => {
  const saved = process.env.SCRATCHNET_SYSTEM_DATA_DIRS;
  afterEach(() => {
    process.env.SCRATCHNET_SYSTEM_DATA_DIRS = saved;
  });

  it('is empty during tests (set by the shared setup), so no test sees what the machine has installed', () => {
    expect(saved).toBe('');
    expect(systemDataDirs()).toEqual([]);
  });

  it('unset means the default, empty means none, otherwise a PATH-style list', () => {
    expect(systemDataDirs({})).toEqual([...SYSTEM_DATA_DIRS]);
    expect(systemDataDirs({ SCRATCHNET_SYSTEM_DATA_DIRS: '' })).toEqual([]);
    expect(systemDataDirs({ SCRATCHNET_SYSTEM_DATA_DIRS: '/a' })).toEqual(['/a']);
    expect(systemDataDirs({ SCRATCHNET_SYSTEM_DATA_DIRS: ['/a', '', '/b'].join(delimiter) })).toEqual(['/a', '/b']);
    if (process.platform !== 'win32') expect(SYSTEM_DATA_DIRS).toEqual(['/usr/share/datasets']);
  });

  it('loadDataset reads a data set from the folder it names, and ignores it when empty', async () => {
    const fixture = makeFixture('system-fixture');
    const root = await tempDir('scratchnet-fake-system-');
    await mkdir(join(root, fixture.spec.name));
    for (const [fileName, gz] of fixture.files) await writeFile(join(root, fixture.spec.name, fileName), gz);
    const options = { cacheDir: await tempDir('scratchnet-empty-cache-'), offline: true, validationSplit: 0 };

    process.env.SCRATCHNET_SYSTEM_DATA_DIRS = ['/nonexistent-scratchnet-root', root].join(delimiter);
    const loaded = await loadDataset(fixture.spec, options);
    expect(loaded.source).toBe('local');
    expect(loaded.files.trainImages?.path).toBe(join(root, fixture.spec.name, 'train-images-idx3-ubyte.gz'));
    expect(loaded.train.size).toBe(120);

    process.env.SCRATCHNET_SYSTEM_DATA_DIRS = '';
    const error = await loadDataset(fixture.spec, options).catch((e) => e);
    expect(error.code).toBe(DatasetErrorCode.NOT_AVAILABLE);
    expect(error.message).toMatch(/not in the cache .* downloads are off/);

    // The option still wins over the variable.
    expect((await loadDataset(fixture.spec, { ...options, systemDataDirs: [root] })).source).toBe('local');
  });
});

import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DatasetErrorCode,
  datasetPath,
  defaultCacheDir,
  downloadDataset,
  importDataset,
  listDatasets,
  loadDataset,
  readIdxFile,
  registerDataset,
  verifyDataset,
  writeIdxFile,
} from '../src/node.js';
import { makeFixture, tempDir, writeFixtureDir } from './helpers/fixture-dataset.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

describe('cache directory', () => {
  it('follows SCRATCHNET_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache on Linux', () => {
    expect(defaultCacheDir({ SCRATCHNET_CACHE_DIR: '/data/sn', XDG_CACHE_HOME: '/x' }, 'linux')).toBe('/data/sn');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/ada' }, 'linux')).toBe('/x/cache/scratchnet');
    // The XDG spec says a relative XDG_CACHE_HOME is ignored.
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'rel', HOME: '/home/ada' }, 'linux')).toBe('/home/ada/.cache/scratchnet');
    expect(defaultCacheDir({ HOME: '/Users/ada' }, 'darwin')).toBe('/Users/ada/Library/Caches/scratchnet');
  });

  it('points at the per-test temp dir during tests, never the real user cache', () => {
    expect(defaultCacheDir()).toBe(process.env.SCRATCHNET_CACHE_DIR);
    expect(defaultCacheDir()).toMatch(/scratchnet-test-cache-/);
    expect(datasetPath('mnist')).toBe(join(process.env.SCRATCHNET_CACHE_DIR!, 'datasets', 'mnist'));
  });

  it('a spec whose name would leave the cache folder is refused', async () => {
    const error = await loadDataset({ ...makeFixture().spec, name: '../outside' }, { offline: true, systemDataDirs: [] }).catch((e) => e);
    expect(error.code).toBe(DatasetErrorCode.INVALID_ARGUMENT);
  });
});

describe('list / download / verify / import for the CLI', () => {
  const fixture = makeFixture('managed');
  let server: TestServer;
  let cacheDir: string;
  beforeAll(async () => {
    server = await startTestServer(fixture.files);
    registerDataset({ ...fixture.spec, mirrors: [server.url] });
    cacheDir = await tempDir('scratchnet-manage-');
  });
  afterAll(() => server.close());

  const entry = (name: string) => listDatasets({ cacheDir }).then((all) => all.find((d) => d.name === name)!);

  it('lists every registered data set with what is cached where', async () => {
    const before = await entry('managed');
    expect(before).toMatchObject({ name: 'managed', complete: false, totalBytes: 0, dir: join(cacheDir, 'datasets', 'managed') });
    expect(before.files.map((f) => f.present)).toEqual([false, false, false, false]);
    expect((await listDatasets({ cacheDir })).map((d) => d.name)).toEqual(expect.arrayContaining(['mnist', 'fashion-mnist', 'managed']));

    const progress: number[] = [];
    const downloaded = await downloadDataset('managed', { cacheDir, onProgress: (p) => progress.push(p.bytesDone) });
    expect(downloaded.files.map((f) => f.source)).toEqual(['download', 'download', 'download', 'download']);
    expect(progress.length).toBeGreaterThan(4);
    const after = await entry('managed');
    expect(after.complete).toBe(true);
    expect(after.totalBytes).toBe([...fixture.files.values()].reduce((n, b) => n + b.length, 0));

    const again = await downloadDataset('managed', { cacheDir });
    expect(again.files.map((f) => f.source)).toEqual(['cache', 'cache', 'cache', 'cache']);
    expect(server.requests).toHaveLength(4);
  });

  it('verify reports ok, corrupt (with the reason) and missing files without changing them', async () => {
    await downloadDataset('managed', { cacheDir });
    expect((await verifyDataset('managed', { cacheDir })).ok).toBe(true);
    const dir = datasetPath('managed', { cacheDir });
    await writeFile(join(dir, 'train-labels-idx1-ubyte.gz'), 'garbage');
    await rm(join(dir, 't10k-labels-idx1-ubyte.gz'));
    const report = await verifyDataset('managed', { cacheDir });
    expect(report.ok).toBe(false);
    expect(report.files.map((f) => f.status)).toEqual(['ok', 'corrupt', 'ok', 'missing']);
    expect(report.files[1].error?.code).toBe(DatasetErrorCode.CHECKSUM_MISMATCH);
    expect(report.files[0].match).toBe('compressed-sha256');
    // Download repairs exactly those two.
    const repaired = await downloadDataset('managed', { cacheDir });
    expect(repaired.files.map((f) => f.source)).toEqual(['cache', 'download', 'cache', 'download']);
    expect((await verifyDataset('managed', { cacheDir })).ok).toBe(true);
  });

  it('imports unpacked IDX files (gzipping them on the way in) and refuses a bad folder whole', async () => {
    const importCache = await tempDir('scratchnet-import-');
    const unpacked = await writeFixtureDir(fixture, false);
    const imported = await importDataset('managed', unpacked, { cacheDir: importCache });
    expect(imported.files.map((f) => f.match)).toEqual(new Array(4).fill('payload-sha256'));
    const loaded = await loadDataset('managed', { cacheDir: importCache, offline: true, systemDataDirs: [], validationSplit: 0 });
    expect(loaded.source).toBe('cache');
    expect(Buffer.from(loaded.train.images).equals(fixture.trainImages)).toBe(true);

    const bad = await writeFixtureDir(fixture);
    await writeFile(join(bad, 't10k-images-idx3-ubyte.gz'), fixture.files.get('train-images-idx3-ubyte.gz')!);
    const otherCache = await tempDir('scratchnet-import-bad-');
    const error = await importDataset('managed', bad, { cacheDir: otherCache }).catch((e) => e);
    // The bigger train file under the test file's name inflates past the official size: caught there.
    expect(error.code).toBe(DatasetErrorCode.INFLATE_TOO_LARGE);
    expect(await readdir(otherCache)).toEqual([]);

    await rm(join(bad, 't10k-images-idx3-ubyte.gz'));
    const missing = await importDataset('managed', bad, { cacheDir: otherCache }).catch((e) => e);
    expect(missing.code).toBe(DatasetErrorCode.NOT_AVAILABLE);
    expect(missing.message).toContain('has no t10k-images-idx3-ubyte.gz');
  });
});

describe('IDX files on disk', () => {
  it('writes and reads back raw and .gz files; errors name the path', async () => {
    const dir = await tempDir('scratchnet-idx-');
    const values = [-1.5, 0, 2.25, 1e-3, -7, 42];
    for (const name of ['w.idx', 'w.idx.gz']) {
      await writeIdxFile(join(dir, name), { type: 'float', dims: [2, 3], data: values });
      const back = await readIdxFile(join(dir, name));
      expect(back.dims).toEqual([2, 3]);
      expect(Array.from(back.data)).toEqual(values.map(Math.fround));
    }
    await writeFile(join(dir, 'bad.idx'), Uint8Array.of(0, 0, 0x08, 1, 0, 0, 0, 9, 1, 2));
    await expect(readIdxFile(join(dir, 'bad.idx'))).rejects.toMatchObject({ code: DatasetErrorCode.TRUNCATED, file: join(dir, 'bad.idx') });
    expect(await readdir(dir)).toEqual(['bad.idx', 'w.idx', 'w.idx.gz']);
  });
});

import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetErrorCode, type DatasetSpec, type DownloadProgress, type LoadDatasetOptions, loadDataset } from '../src/node.js';
import { type Fixture, makeFixture, tempDir, writeFixtureDir } from './helpers/fixture-dataset.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

const TRAIN_IMAGES = 'train-images-idx3-ubyte.gz';
/** Byte equality without vitest's slow element-by-element deep equality. */
const sameBytes = (a: Uint8Array, b: Uint8Array | undefined) => b !== undefined && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);

describe('loadDataset against a real HTTP server on 127.0.0.1', () => {
  let fixture: Fixture;
  let server: TestServer;
  let cacheDir: string;
  const extraServers: TestServer[] = [];

  beforeEach(async () => {
    fixture = makeFixture();
    server = await startTestServer(fixture.files);
    cacheDir = await tempDir('scratchnet-cache-');
  });
  afterEach(async () => {
    await server.close();
    await Promise.all(extraServers.splice(0).map((s) => s.close()));
  });

  const spec = (mirrors: string[]): DatasetSpec => ({ ...fixture.spec, mirrors });
  const load = (mirrors: string[], options: LoadDatasetOptions = {}) =>
    loadDataset(spec(mirrors), { cacheDir, systemDataDirs: [], retries: 1, backoffMs: 10, timeoutMs: 5000, ...options });
  const entryDir = () => join(cacheDir, 'datasets', fixture.spec.name);
  const cacheListing = async () => (await readdir(entryDir()).catch(() => [] as string[])).sort();

  it('happy path: streams every file with progress, verifies it and caches the published bytes', async () => {
    const progress: DownloadProgress[] = [];
    const loaded = await load([server.url], { onProgress: (p) => progress.push({ ...p }), validationSplit: 20, seed: 3 });

    expect(loaded.source).toBe('download');
    expect(loaded.train.size).toBe(100);
    expect(loaded.validation.size).toBe(20);
    expect(loaded.test.size).toBe(40);
    expect(sameBytes(loaded.test.images, fixture.testImages)).toBe(true);
    expect(Array.from(loaded.test.labels)).toEqual(Array.from(fixture.testLabels));
    expect(loaded.files.trainImages).toMatchObject({ source: 'download', match: 'compressed-sha256' });
    // Each file's progress climbs to its full compressed size, which the server announced.
    for (const [fileName, gz] of fixture.files) {
      const events = progress.filter((p) => p.file === fileName);
      expect(events.length).toBeGreaterThan(1);
      expect(events.every((p) => p.bytesTotal === gz.length)).toBe(true);
      expect(events.map((p) => p.bytesDone)).toEqual([...events.map((p) => p.bytesDone)].sort((a, b) => a - b));
      expect(events.at(-1)!.bytesDone).toBe(gz.length);
      expect(sameBytes(await readFile(join(entryDir(), fileName)), gz)).toBe(true);
    }
    expect(await cacheListing()).toEqual([...fixture.files.keys()].sort());
  });

  it('serves a second load from the cache without a single request', async () => {
    await load([server.url]);
    const requestsAfterFirst = server.requests.length;
    expect(requestsAfterFirst).toBe(4);
    const second = await load([server.url]);
    expect(second.source).toBe('cache');
    expect(server.requests.length).toBe(requestsAfterFirst);
    expect(sameBytes(second.test.images, fixture.testImages)).toBe(true);
  });

  it('rejects a file whose checksum does not match and leaves the cache untouched', async () => {
    server.behave = (file) => (file === TRAIN_IMAGES ? 'wrong-bytes' : 'ok');
    const error = await load([server.url]).catch((e) => e);
    expect(error.code).toBe(DatasetErrorCode.CHECKSUM_MISMATCH);
    expect(error.message).toContain(TRAIN_IMAGES);
    expect(error.message).toContain(fixture.spec.files.trainImages.payloadSha256);
    expect(await cacheListing()).toEqual([]);
    // A mirror serving the wrong bytes is not asked again on the retry round.
    expect(server.requests.filter((r) => r.endsWith(TRAIN_IMAGES))).toHaveLength(1);
  });

  it('rejects a valid gzip with the wrong payload too, trying the next mirror', async () => {
    server.behave = (file) => (file === TRAIN_IMAGES ? 'other-file' : 'ok');
    const second = await startTestServer(fixture.files, (file) => (file === TRAIN_IMAGES ? 'wrong-bytes' : 'ok'));
    extraServers.push(second);
    const error = await load([server.url, second.url]).catch((e) => e);
    expect(error.code).toBe(DatasetErrorCode.CHECKSUM_MISMATCH);
    expect(error.message).toContain(`${server.url}/${TRAIN_IMAGES}`);
    expect(error.message).toContain(`${second.url}/${TRAIN_IMAGES}`);
    expect(error.message).toMatch(/payload sha256 [0-9a-f]{64}/);
    expect(await cacheListing()).toEqual([]);
  });

  it('retries a transfer cut off half way and never lets the partial file into the cache', async () => {
    server.behave = (file, attempt) => (file === TRAIN_IMAGES && attempt === 0 ? 'cut-off' : 'ok');
    const loaded = await load([server.url]);
    expect(loaded.source).toBe('download');
    expect(server.requests.filter((r) => r.endsWith(TRAIN_IMAGES))).toHaveLength(2);
    expect(sameBytes(await readFile(join(entryDir(), TRAIN_IMAGES)), fixture.files.get(TRAIN_IMAGES))).toBe(true);
    expect(await cacheListing()).toEqual([...fixture.files.keys()].sort());
  });

  it('handles chunked responses: no total from the server, the registry size if known, and a cut-off is retried', async () => {
    server.behave = (file, attempt) => (file === TRAIN_IMAGES && attempt === 0 ? 'chunked-cut-off' : 'chunked');
    const progress: DownloadProgress[] = [];
    const withSize = spec([server.url]);
    withSize.files = { ...withSize.files, testLabels: { ...withSize.files.testLabels, compressedBytes: 1234 } };
    const loaded = await loadDataset(withSize, { cacheDir, systemDataDirs: [], retries: 1, backoffMs: 10, onProgress: (p) => progress.push(p) });
    expect(loaded.source).toBe('download');
    expect(server.requests.filter((r) => r.endsWith(TRAIN_IMAGES))).toHaveLength(2);
    expect(progress.filter((p) => p.file === TRAIN_IMAGES).every((p) => p.bytesTotal === undefined)).toBe(true);
    expect(progress.filter((p) => p.file === 't10k-labels-idx1-ubyte.gz').every((p) => p.bytesTotal === 1234)).toBe(true);
    expect(sameBytes(await readFile(join(entryDir(), TRAIN_IMAGES)), fixture.files.get(TRAIN_IMAGES))).toBe(true);
  });

  it('follows redirects, as mirrors on GitHub and S3 websites answer', async () => {
    server.behave = () => 'redirect';
    const loaded = await load([server.url]);
    expect(loaded.source).toBe('download');
    expect(server.requests.filter((r) => r.startsWith('/moved/'))).toHaveLength(4);
  });

  it('gives up on a mirror that always cuts off, with no entry and no temp file left', async () => {
    server.behave = (file) => (file === TRAIN_IMAGES ? 'cut-off' : 'ok');
    const error = await load([server.url]).catch((e) => e);
    expect(error.code).toBe(DatasetErrorCode.DOWNLOAD_FAILED);
    expect(error.message).toMatch(/could not download train-images-idx3-ubyte\.gz/);
    expect(server.requests.filter((r) => r.endsWith(TRAIN_IMAGES))).toHaveLength(2);
    expect(await cacheListing()).toEqual([]);
  });

  it('clears temp files left by a killed download, keeping those of a running process', async () => {
    await mkdir(entryDir(), { recursive: true });
    const stale = join(entryDir(), `${TRAIN_IMAGES}.999-dead.part`);
    // This process is alive: its temp file may be in use by a concurrent download.
    const fresh = join(entryDir(), `${TRAIN_IMAGES}.${process.pid}-11fe.part`);
    await writeFile(stale, 'half a file');
    await writeFile(fresh, 'being written');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await utimes(stale, twoHoursAgo, twoHoursAgo);
    await load([server.url]);
    expect(await cacheListing()).toEqual([...fixture.files.keys(), `${TRAIN_IMAGES}.${process.pid}-11fe.part`].sort());
  });

  it('moves on to the second mirror after a 404 on the first', async () => {
    const empty = await startTestServer(new Map());
    extraServers.push(empty);
    const loaded = await load([`${empty.url}/missing`, server.url]);
    expect(loaded.source).toBe('download');
    expect(empty.requests).toEqual([...fixture.files.keys()].map((f) => `/missing/${f}`));
    expect(server.requests).toHaveLength(4);
  });

  it('times out on a server that never answers, naming the URL', async () => {
    server.behave = () => 'hang';
    const error = await load([server.url], { timeoutMs: 300, retries: 0 }).catch((e) => e);
    expect(error.code).toBe(DatasetErrorCode.TIMEOUT);
    expect(error.message).toContain(`${server.url}/${TRAIN_IMAGES}: no answer for 300 ms (timed out)`);
    expect(await cacheListing()).toEqual([]);
  });

  it('times out a transfer that stalls half way, then gets the file on the retry', async () => {
    server.behave = (file, attempt) => (file === TRAIN_IMAGES && attempt === 0 ? 'stall' : 'ok');
    const progress: DownloadProgress[] = [];
    const loaded = await load([server.url], { timeoutMs: 400, onProgress: (p) => progress.push({ ...p }) });
    expect(loaded.source).toBe('download');
    expect(server.requests.filter((r) => r.endsWith(TRAIN_IMAGES))).toHaveLength(2);
    // The first attempt got about half the bytes before the silence; progress starts again at 0.
    const train = progress.filter((p) => p.file === TRAIN_IMAGES).map((p) => p.bytesDone);
    const restart = train.lastIndexOf(0);
    expect(restart).toBeGreaterThan(0);
    expect(Math.max(...train.slice(0, restart))).toBeLessThan(fixture.files.get(TRAIN_IMAGES)!.length);
    expect(sameBytes(await readFile(join(entryDir(), TRAIN_IMAGES)), fixture.files.get(TRAIN_IMAGES))).toBe(true);
  });

  it('detects a corrupt cache entry, says so, and fetches only that file again', async () => {
    await load([server.url]);
    const path = join(entryDir(), TRAIN_IMAGES);
    const damaged = Buffer.from(fixture.files.get(TRAIN_IMAGES)!);
    damaged[damaged.length - 100] ^= 0x55;
    await writeFile(path, damaged);
    server.requests.length = 0;

    const repaired = await load([server.url]);
    expect(repaired.source).toBe('download');
    expect(repaired.notice).toMatch(/cache entry .*train-images-idx3-ubyte\.gz is corrupt/);
    expect(server.requests).toEqual([`/${TRAIN_IMAGES}`]);
    expect(sameBytes(await readFile(path), fixture.files.get(TRAIN_IMAGES))).toBe(true);
  });

  it('offline, a corrupt cache entry is an error, not silently used', async () => {
    await load([server.url]);
    await writeFile(join(entryDir(), TRAIN_IMAGES), Buffer.from('not gzip at all'));
    const error = await load([server.url], { offline: true }).catch((e) => e);
    expect(error.code).toBe(DatasetErrorCode.NOT_AVAILABLE);
  });

  it('tries the SCRATCHNET_MIRROR override (a file:// URL) before the built-in mirrors', async () => {
    const dir = await writeFixtureDir(fixture);
    process.env.SCRATCHNET_MIRROR = pathToFileURL(dir).href;
    try {
      const loaded = await load([server.url]);
      expect(loaded.source).toBe('download');
      expect(server.requests).toEqual([]);
      expect(sameBytes(loaded.test.images, fixture.testImages)).toBe(true);
    } finally {
      delete process.env.SCRATCHNET_MIRROR;
    }
  });

  it('the mirror option takes an http://127.0.0.1 URL in front of dead built-in mirrors', async () => {
    const loaded = await load(['http://127.0.0.1:9/nothing-listens-here'], { mirror: server.url });
    expect(loaded.source).toBe('download');
    expect(server.requests).toHaveLength(4);
  });

  it('an unwritable cache is a CACHE_ERROR at once, not a reason to try every mirror', async () => {
    await mkdir(join(cacheDir, 'datasets'), { recursive: true });
    await writeFile(entryDir(), 'a file where the folder should be');
    const error = await load([server.url]).catch((e) => e);
    expect(error.code).toBe(DatasetErrorCode.CACHE_ERROR);
    expect(error.message).toContain('set SCRATCHNET_CACHE_DIR to a writable folder');
    expect(server.requests).toEqual([]);
  });

  it('stops with ABORTED when the signal fires mid-download', async () => {
    server.behave = () => 'hang';
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await load([server.url], { signal: controller.signal, timeoutMs: 30_000 }).catch((e) => e);
    expect(error.code).toBe(DatasetErrorCode.ABORTED);
    expect(await cacheListing()).toEqual([]);
  });
});

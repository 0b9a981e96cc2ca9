import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CIFAR10, loadDataset } from '../src/node.js';
import { makeArchive, RECORDS } from './helpers/cifar-archive.js';
import { tempDir } from './helpers/fixture-dataset.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('CIFAR-10 (binary archive format) through loadDataset', () => {
  it('downloads from a mirror, verifies the MD5, reads the six batches from the .tar.gz as 3×32×32 planes, then loads from the cache', async () => {
    const { spec, archive } = await makeArchive();
    server = await startTestServer(new Map([[spec.archive.fileName, archive]]));
    const cacheDir = await tempDir('scratchnet-cifar-cache-');
    const withMirror = { ...spec, mirrors: [server.url] };
    const loaded = await loadDataset(withMirror, { cacheDir, validationSplit: 0 });
    expect(loaded.source).toBe('download');
    expect(loaded.train.size).toBe(5 * RECORDS);
    expect(loaded.test.size).toBe(RECORDS);
    expect(loaded.train.shape).toEqual([3, 32, 32]);
    expect(loaded.classNames).toEqual(CIFAR10.classNames);
    // Record 13 (batch 2, second record): label 3, planes 91, 92, 93.
    const view = loaded.train.image(13);
    expect(view.label).toBe(3);
    expect(view.className).toBe('cat');
    expect([view.pixels[0], view.pixels[1023], view.pixels[1024], view.pixels[2048], view.pixels[3071]]).toEqual([91, 91, 92, 93, 93]);
    expect(loaded.test.image(0).pixels[0]).toBe((1000 * 7) % 256);

    const again = await loadDataset(withMirror, { cacheDir, validationSplit: 0.25, seed: 3 });
    expect(again.source).toBe('cache');
    expect(server.requests).toHaveLength(1);
    expect([again.train.size, again.validation.size]).toEqual([45, 15]);
  });

  it('a mirror serving other bytes is CHECKSUM_MISMATCH; an archive with a short batch is LENGTH_MISMATCH naming it', async () => {
    const { spec, archive } = await makeArchive();
    server = await startTestServer(new Map([[spec.archive.fileName, archive]]), () => 'wrong-bytes');
    const error = await loadDataset({ ...spec, mirrors: [server.url] }, { cacheDir: await tempDir(), retries: 0 }).catch((e) => e);
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    const short = await makeArchive({ shortTestBatch: true });
    await server.close();
    server = await startTestServer(new Map([[short.spec.archive.fileName, short.archive]]));
    const bad = await loadDataset({ ...short.spec, mirrors: [server.url] }, { cacheDir: await tempDir(), retries: 0 }).catch((e) => e);
    expect(bad.code).toBe('LENGTH_MISMATCH');
    expect(bad.message).toMatch(/test_batch\.bin holds 11 records, not 12; fetch it again$/);
  });

  it('a data dir holding the archive or its unpacked folder is read as the user\'s own (no digest needed)', async () => {
    const { spec, source } = await makeArchive();
    const unverified = { ...spec, archive: { ...spec.archive, compressed: [{ md5: '0'.repeat(32), source: 'test' }] } };
    const fromArchive = await loadDataset(unverified, { dataDir: source, validationSplit: 0 });
    expect([fromArchive.source, fromArchive.train.size]).toEqual(['local', 60]);
    const unpacked = join(source, 'cifar-10-batches-bin');
    const fromFolder = await loadDataset(unverified, { dataDir: unpacked, validationSplit: 0 });
    expect(Buffer.from(fromFolder.train.images).equals(Buffer.from(fromArchive.train.images))).toBe(true);
  });

  it('cifar-10 is in the registry by name; offline with nothing cached it says how to get it', async () => {
    const error = await loadDataset('cifar-10', { offline: true, cacheDir: await tempDir() }).catch((e) => e);
    expect(error.code).toBe('NOT_AVAILABLE');
    expect(error.message).toMatch(/cifar-10-binary\.tar\.gz is not in the cache .* To get cifar-10: /);
  });
});

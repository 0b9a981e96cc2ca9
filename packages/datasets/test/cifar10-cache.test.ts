import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { datasetPath, downloadDataset, importDataset, listDatasets, loadDataset, registerArchiveDataset, verifyDataset } from '../src/node.js';
import { makeArchive } from './helpers/cifar-archive.js';
import { tempDir } from './helpers/fixture-dataset.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the cache commands cover archive data sets (CIFAR-10): one file, the archive, checked against its digest', () => {
  it('list shows cifar-10 with its one archive file, absent in an empty cache', async () => {
    const cacheDir = await tempDir('scratchnet-cifar-cache-');
    const cifar = (await listDatasets({ cacheDir })).find((d) => d.name === 'cifar-10');
    expect(cifar?.files.map((f) => [f.role, f.fileName, f.present])).toEqual([['archive', 'cifar-10-binary.tar.gz', false]]);
    expect(cifar?.complete).toBe(false);
    expect(cifar?.dir).toBe(datasetPath('cifar-10', { cacheDir }));
  });

  it('download fetches and verifies the archive once; verify says ok, then corrupt once a byte changes; download replaces the corrupt copy', async () => {
    const { spec, archive } = await makeArchive();
    server = await startTestServer(new Map([[spec.archive.fileName, archive]]));
    const cacheDir = await tempDir('scratchnet-cifar-cache-');
    const withMirror = { ...spec, name: 'cifar-download', mirrors: [server.url] };
    const first = await downloadDataset(withMirror, { cacheDir });
    expect(first.files.map((f) => [f.role, f.source, f.match])).toEqual([['archive', 'download', 'compressed-md5']]);
    expect(Buffer.from(await readFile(first.files[0].path)).equals(archive)).toBe(true);
    const again = await downloadDataset(withMirror, { cacheDir });
    expect(again.files[0].source).toBe('cache');
    expect(server.requests).toHaveLength(1);

    const good = await verifyDataset(withMirror, { cacheDir });
    expect([good.ok, good.files[0].status, good.files[0].bytes]).toEqual([true, 'ok', archive.length]);

    const damaged = Buffer.from(archive);
    damaged[damaged.length >> 1] ^= 0xff;
    await writeFile(first.files[0].path, damaged);
    const bad = await verifyDataset(withMirror, { cacheDir });
    expect([bad.ok, bad.files[0].status, bad.files[0].error?.code]).toEqual([false, 'corrupt', 'CHECKSUM_MISMATCH']);

    const notices: string[] = [];
    const repaired = await downloadDataset(withMirror, { cacheDir, onNotice: (m) => notices.push(m) });
    expect(repaired.files[0].source).toBe('download');
    expect(notices.join('\n')).toMatch(/is corrupt \(CHECKSUM_MISMATCH\); fetching it again/);
    expect((await verifyDataset(withMirror, { cacheDir })).ok).toBe(true);
  });

  it('a mirror serving other bytes leaves nothing in the cache', async () => {
    const { spec, archive } = await makeArchive();
    server = await startTestServer(new Map([[spec.archive.fileName, archive]]), () => 'wrong-bytes');
    const cacheDir = await tempDir('scratchnet-cifar-cache-');
    const withMirror = { ...spec, name: 'cifar-wrong', mirrors: [server.url] };
    const error = await downloadDataset(withMirror, { cacheDir, retries: 0 }).catch((e) => e);
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    const report = await verifyDataset(withMirror, { cacheDir });
    expect([report.files[0].status, report.partFiles.count]).toEqual(['missing', 0]);
  });

  it('import verifies a folder\'s archive and copies it into the cache, where loadDataset reads it; a damaged one is refused and nothing is copied', async () => {
    const { spec, archive, source } = await makeArchive();
    const named = { ...spec, name: 'cifar-import' };
    registerArchiveDataset(named); // by name, as the CLI asks for it
    const cacheDir = await tempDir('scratchnet-cifar-cache-');

    const damagedDir = await tempDir('scratchnet-cifar-damaged-');
    const damaged = Buffer.from(archive);
    damaged[100] ^= 0x01;
    await writeFile(join(damagedDir, spec.archive.fileName), damaged);
    const refused = await importDataset('cifar-import', damagedDir, { cacheDir }).catch((e) => e);
    expect(refused.code).toBe('CHECKSUM_MISMATCH');
    expect((await verifyDataset('cifar-import', { cacheDir })).files[0].status).toBe('missing');

    const empty = await importDataset('cifar-import', await tempDir(), { cacheDir }).catch((e) => e);
    expect(empty.code).toBe('NOT_AVAILABLE');
    expect(empty.message).toMatch(/has no cifar-10-binary\.tar\.gz; nothing was imported$/);

    const imported = await importDataset('cifar-import', source, { cacheDir });
    expect(imported.files.map((f) => [f.role, f.match])).toEqual([['archive', 'compressed-md5']]);
    const listed = (await listDatasets({ cacheDir })).find((d) => d.name === 'cifar-import');
    expect([listed?.complete, listed?.totalBytes]).toEqual([true, archive.length]);
    const loaded = await loadDataset('cifar-import', { cacheDir, offline: true, validationSplit: 0 });
    expect([loaded.source, loaded.train.size, loaded.test.size]).toEqual(['cache', 60, 12]);
  });
});

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, jsonLines, runCli, startHarness } from './cli-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

/**
 * `data list/verify/download/import/path` for CIFAR-10, whose one file is the archive checked
 * against the published MD5. The real archive (170 MB) cannot be had here, so these runs check the
 * refusals against the real digest: a wrong archive in the cache, on a mirror, or in a folder.
 * (Accepting a good archive is tested in @scratchnet/datasets with a synthetic one and its own digest.)
 */
describe('scratchnet-cli data … cifar-10', () => {
  const archive = 'cifar-10-binary.tar.gz';
  const mirror = () => JSON.parse(readFileSync(h.env.SCRATCHNET_DATASETS as string, 'utf8'))[0].mirrors[0] as string;

  it('list shows cifar-10 with its one file; path prints its folder', async () => {
    const list = await runCli(h, ['data', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^cifar-10\s+0\/1\s+–\s+not checked\s+\S+cifar-10$/m);
    const json = jsonLines((await runCli(h, ['data', 'list', '--json'])).stdout)[0];
    const cifar = json.datasets.find((d: { name: string }) => d.name === 'cifar-10');
    expect(cifar.files.map((f: { role: string; fileName: string }) => [f.role, f.fileName])).toEqual([['archive', archive]]);
    const path = await runCli(h, ['data', 'path', 'cifar-10']);
    expect(path.stdout.trim()).toBe(join(h.root, 'cache', 'datasets', 'cifar-10'));
  });

  it('a damaged archive in the cache is CORRUPT for verify (exit 1 with the fix); download from a mirror serving a wrong one is refused', async () => {
    const env = { SCRATCHNET_CACHE_DIR: join(h.root, 'cache-corrupt') };
    const dir = join(env.SCRATCHNET_CACHE_DIR, 'datasets', 'cifar-10');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, archive), Buffer.alloc(1000, 7));
    const verify = await runCli(h, ['data', 'verify', 'cifar-10'], { env });
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/cifar-10-binary\.tar\.gz\s+CORRUPT: .*checksum mismatch for cifar-10-binary\.tar\.gz — got md5 [0-9a-f]{32}, expected c32a1d4ab5d03f1284b67883e8d87530/);
    expect(verify.stderr).toMatch(/1 data set has missing or corrupt files; fetch them again with `scratchnet-cli data download <name>`/);
    const listed = await runCli(h, ['data', 'list', '--verify'], { env });
    expect(listed.stdout).toMatch(/^cifar-10\s+1\/1\s+0\.0 MB\s+1 corrupt, 0 missing/m);

    writeFileSync(join(h.mirrorDir, archive), Buffer.alloc(2000, 9));
    const download = await runCli(h, ['data', 'download', 'cifar-10'], { env: { ...env, SCRATCHNET_MIRROR: mirror() } });
    expect(download.code).not.toBe(0);
    expect(download.stderr).toMatch(/cache entry .*cifar-10-binary\.tar\.gz is corrupt \(CHECKSUM_MISMATCH\); fetching it again/);
    expect(download.stderr).toMatch(/checksum mismatch/i);
  });

  it('import refuses a folder whose archive is not the official one, and one with no archive', async () => {
    const env = { SCRATCHNET_CACHE_DIR: join(h.root, 'cache-import') };
    const folder = join(h.root, 'my-cifar');
    mkdirSync(folder);
    const empty = await runCli(h, ['data', 'import', folder, '--dataset', 'cifar-10'], { env });
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toMatch(/has no cifar-10-binary\.tar\.gz; nothing was imported/);
    writeFileSync(join(folder, archive), Buffer.alloc(500, 1));
    const wrong = await runCli(h, ['data', 'import', folder, '--dataset', 'cifar-10'], { env });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/checksum mismatch for cifar-10-binary\.tar\.gz/);
    const after = await runCli(h, ['data', 'list'], { env });
    expect(after.stdout).toMatch(/^cifar-10\s+0\/1\s/m);
  });
});

import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetErrorCode, FASHION_MNIST, type DatasetSpec, importDataset, loadDataset, readVerifiedIdx, verifyDataset } from '../src/node.js';
import { tempDir } from './helpers/fixture-dataset.js';

// The real files as Debian ships them, at ../shared/data/fashion-mnist from the repository root.
const repoRoot = resolve(__dirname, '..', '..', '..');
const dataDir = resolve(repoRoot, '..', 'shared', 'data', 'fashion-mnist');
const present = existsSync(join(dataDir, 'train-images-idx3-ubyte.gz'));

describe.skipIf(!present)('real Fashion-MNIST (Debian copy in ../shared/data)', () => {
  it('loads 60,000 training and 10,000 test images with 6,000 / 1,000 per class', async () => {
    const loaded = await loadDataset('fashion-mnist', { dataDir, validationSplit: 0, systemDataDirs: [] });
    expect(loaded.source).toBe('local');
    expect(loaded.train.size).toBe(60_000);
    expect(loaded.test.size).toBe(10_000);
    expect(loaded.train.images.length).toBe(60_000 * 784);
    expect(loaded.train.classCounts()).toEqual(new Array(10).fill(6000));
    expect(loaded.test.classCounts()).toEqual(new Array(10).fill(1000));
    // Known first labels of the official files: train starts 9 0 0 3 0 2 7 2 5 5, test 9 2 1 1 6 1 4 6 5 7.
    expect(Array.from(loaded.train.labels.subarray(0, 10))).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    expect(Array.from(loaded.test.labels.subarray(0, 10))).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    expect(loaded.test.image(0).className).toBe('Ankle boot');
    expect(loaded.classNames[0]).toBe('T-shirt/top');
  });

  it('verifies every file by its Debian .gz digest, and by the upstream payload digest alone', async () => {
    const report = await verifyDataset('fashion-mnist', { dir: dataDir });
    expect(report.ok).toBe(true);
    expect(report.files.map((f) => f.match)).toEqual(new Array(4).fill('compressed-sha256'));
    // With only upstream digests (as for a re-compressed copy nobody published), the payload decides.
    const upstreamOnly: DatasetSpec = {
      ...FASHION_MNIST,
      files: Object.fromEntries(
        Object.entries(FASHION_MNIST.files).map(([role, f]) => [role, { ...f, compressed: f.compressed.filter((d) => d.source === 'upstream') }]),
      ) as DatasetSpec['files'],
    };
    const byPayload = await verifyDataset(upstreamOnly, { dir: dataDir });
    expect(byPayload.files.map((f) => [f.status, f.match])).toEqual(new Array(4).fill(['ok', 'payload-sha256']));
  });

  it('a tampered local copy is not taken for the official file: it is read as the user\'s own and its broken gzip is a clear error', async () => {
    const dir = await tempDir('scratchnet-tampered-');
    for (const f of Object.values(FASHION_MNIST.files)) await copyFile(join(dataDir, f.fileName), join(dir, f.fileName));
    const labels = join(dir, 't10k-labels-idx1-ubyte.gz');
    const bytes = await readFile(labels);
    bytes[bytes.length - 20] ^= 1;
    await writeFile(labels, bytes);
    const error = await loadDataset('fashion-mnist', { dataDir: dir, systemDataDirs: [] }).catch((e) => e);
    expect(error.code).toBe(DatasetErrorCode.BAD_GZIP);
    expect(error.file).toBe(labels);
    expect(error.message).toContain(`${labels}: gzip data is truncated or damaged`);
  });

  it('imports into the cache, then loads from there with no data dir; /usr/share/datasets-style roots work', async () => {
    const cacheDir = await tempDir('scratchnet-import-');
    const imported = await importDataset('fashion-mnist', dataDir, { cacheDir });
    expect(imported.files.map((f) => f.path)).toEqual(
      Object.values(FASHION_MNIST.files).map((f) => join(cacheDir, 'datasets', 'fashion-mnist', f.fileName)),
    );
    const cached = await loadDataset('fashion-mnist', { cacheDir, offline: true, systemDataDirs: [] });
    expect(cached.source).toBe('cache');
    expect(cached.train.size + cached.validation.size).toBe(60_000);
    expect(cached.validation.size).toBe(5000);

    const root = await tempDir('scratchnet-system-');
    await symlink(dataDir, join(root, 'fashion-mnist'));
    const system = await loadDataset('fashion-mnist', { cacheDir: await tempDir(), offline: true, systemDataDirs: [root] });
    expect(system.source).toBe('local');
    expect(system.files.testLabels?.path).toBe(join(root, 'fashion-mnist', 't10k-labels-idx1-ubyte.gz'));
  });

  it('accepts an unpacked (decompressed) copy by its payload digest', async () => {
    const dir = await tempDir('scratchnet-unpacked-');
    await mkdir(dir, { recursive: true });
    const { idx } = await readVerifiedIdx(join(dataDir, 't10k-labels-idx1-ubyte.gz'), FASHION_MNIST.files.testLabels);
    const { encodeIdx } = await import('../src/index.js');
    const path = join(dir, 't10k-labels-idx1-ubyte');
    await writeFile(path, encodeIdx(idx));
    const verified = await readVerifiedIdx(path, FASHION_MNIST.files.testLabels);
    expect(verified.match).toBe('payload-sha256');
    expect(verified.idx.dims).toEqual([10_000]);
  });
});

import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeIdx, loadDataset } from '../src/node.js';
import { makeFixture, writeFixtureDir } from './helpers/fixture-dataset.js';

const TRAIN = 'train-images-idx3-ubyte';

describe("a user's own IDX files in a data dir", () => {
  it('train as they are: files matching no published digest are read, checked for structure only', async () => {
    const fixture = makeFixture('own-idx');
    const dir = await writeFixtureDir(fixture, false);
    // Different images from the ones the spec's digests describe: the user's own data.
    const own = new Uint8Array(120 * 784).map((_, i) => (i * 7) % 256);
    await writeFile(join(dir, TRAIN), encodeIdx({ type: 'ubyte', dims: [120, 28, 28], data: own }));
    const loaded = await loadDataset(fixture.spec, { dataDir: dir, systemDataDirs: [], validationSplit: 0 });
    expect(loaded.files.trainImages?.match).toBe('own-file');
    expect(loaded.files.testImages?.match).toBe('payload-sha256');
    expect(loaded.train.size).toBe(120);
    expect(Array.from(loaded.train.images.subarray(0, 5))).toEqual([0, 7, 14, 21, 28]);
  });

  it('an IDX whose header disagrees with its length is a one-line error naming the file and the sizes', async () => {
    const fixture = makeFixture('own-idx-bad');
    const dir = await writeFixtureDir(fixture, false);
    await rm(join(dir, TRAIN));
    // Declares 120 images of 28×28 but holds 100.
    const short = encodeIdx({ type: 'ubyte', dims: [100, 28, 28], data: new Uint8Array(100 * 784) });
    short.set([0, 0, 0, 120], 4);
    await writeFile(join(dir, TRAIN), short);
    const error = await loadDataset(fixture.spec, { dataDir: dir, systemDataDirs: [] }).catch((e) => e);
    expect(error.code).toBe('TRUNCATED');
    expect(error.message).toBe(`${join(dir, TRAIN)}: IDX header declares 94096 bytes (dimensions [120, 28, 28]) but the file has 78416; it is truncated, fetch it again`);
    expect(error.message).not.toContain('\n');
  });
});

import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Rng } from '@scratchnet/core';
import { DATASET_FILE_ROLES, type DatasetFileRole, type DatasetSpec, encodeIdx } from '../../src/index.js';

/** A small MNIST-shaped data set with real digests, served by the test servers. */
export interface Fixture {
  spec: DatasetSpec;
  /** Official file name → gzip bytes as published. */
  files: Map<string, Buffer>;
  /** Raw IDX bytes per file name. */
  raw: Map<string, Uint8Array>;
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

/**
 * 120 train + 40 test random 28×28 images (random bytes do not compress, so the training file
 * is ~94 KB: big enough to cut off half way) with labels 0–9.
 */
export function makeFixture(name = 'fixture', mirrors: string[] = [], trainCount = 120, testCount = 40): Fixture {
  const rng = new Rng(7);
  const bytes = (n: number, max: number) => Uint8Array.from({ length: n }, () => rng.int(max));
  const trainImages = bytes(trainCount * 784, 256);
  const trainLabels = bytes(trainCount, 10);
  const testImages = bytes(testCount * 784, 256);
  const testLabels = bytes(testCount, 10);
  const contents: Record<DatasetFileRole, { fileName: string; raw: Uint8Array }> = {
    trainImages: { fileName: 'train-images-idx3-ubyte.gz', raw: encodeIdx({ type: 'ubyte', dims: [trainCount, 28, 28], data: trainImages }) },
    trainLabels: { fileName: 'train-labels-idx1-ubyte.gz', raw: encodeIdx({ type: 'ubyte', dims: [trainCount], data: trainLabels }) },
    testImages: { fileName: 't10k-images-idx3-ubyte.gz', raw: encodeIdx({ type: 'ubyte', dims: [testCount, 28, 28], data: testImages }) },
    testLabels: { fileName: 't10k-labels-idx1-ubyte.gz', raw: encodeIdx({ type: 'ubyte', dims: [testCount], data: testLabels }) },
  };
  const files = new Map<string, Buffer>();
  const raw = new Map<string, Uint8Array>();
  const specFiles = {} as Record<DatasetFileRole, DatasetSpec['files'][DatasetFileRole]>;
  for (const role of DATASET_FILE_ROLES) {
    const { fileName, raw: idx } = contents[role];
    const gz = gzipSync(idx);
    files.set(fileName, gz);
    raw.set(fileName, idx);
    specFiles[role] = {
      fileName,
      compressed: [{ sha256: sha256(gz), md5: md5(gz), source: 'fixture' }],
      payloadSha256: sha256(idx),
      payloadBytes: idx.length,
    };
  }
  const spec: DatasetSpec = {
    name,
    title: 'test fixture',
    classNames: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
    imageShape: [28, 28],
    files: specFiles,
    mirrors,
  };
  return { spec, files, raw, trainImages, trainLabels, testImages, testLabels };
}

/** Writes the fixture's .gz files into a fresh temp folder and returns it. */
export async function writeFixtureDir(fixture: Fixture, gzip = true): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'scratchnet-fixture-'));
  for (const [fileName, gz] of fixture.files) {
    if (gzip) await writeFile(join(dir, fileName), gz);
    else await writeFile(join(dir, fileName.replace(/\.gz$/, '')), fixture.raw.get(fileName)!);
  }
  return dir;
}

export async function tempDir(prefix = 'scratchnet-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

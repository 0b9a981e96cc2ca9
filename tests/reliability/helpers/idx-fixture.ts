import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Rng } from '@scratchnet/core';
import { DATASET_FILE_ROLES, type DatasetFileRole, type DatasetSpec, encodeIdx } from '@scratchnet/datasets';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A small MNIST-shaped data set: its spec (with real digests) and the .gz bytes a mirror serves. */
export interface IdxFixture {
  spec: DatasetSpec;
  /** Official file name → gzip bytes. */
  files: Map<string, Buffer>;
}

/**
 * `trainCount` + `testCount` random 28×28 images (random bytes barely compress, so the train
 * images file is ~784 bytes per image on the wire) with labels 0–9.
 */
export function makeIdxFixture(name: string, trainCount: number, testCount: number): IdxFixture {
  const rng = new Rng(17);
  const bytes = (n: number, max: number) => Uint8Array.from({ length: n }, () => rng.int(max));
  const raw: Record<DatasetFileRole, [string, Uint8Array]> = {
    trainImages: ['train-images-idx3-ubyte.gz', encodeIdx({ type: 'ubyte', dims: [trainCount, 28, 28], data: bytes(trainCount * 784, 256) })],
    trainLabels: ['train-labels-idx1-ubyte.gz', encodeIdx({ type: 'ubyte', dims: [trainCount], data: bytes(trainCount, 10) })],
    testImages: ['t10k-images-idx3-ubyte.gz', encodeIdx({ type: 'ubyte', dims: [testCount, 28, 28], data: bytes(testCount * 784, 256) })],
    testLabels: ['t10k-labels-idx1-ubyte.gz', encodeIdx({ type: 'ubyte', dims: [testCount], data: bytes(testCount, 10) })],
  };
  const files = new Map<string, Buffer>();
  const specFiles = {} as Record<DatasetFileRole, DatasetSpec['files'][DatasetFileRole]>;
  for (const role of DATASET_FILE_ROLES) {
    const [fileName, idx] = raw[role];
    const gz = gzipSync(idx);
    files.set(fileName, gz);
    specFiles[role] = { fileName, compressed: [{ sha256: sha256(gz), source: 'fixture' }], payloadSha256: sha256(idx), payloadBytes: idx.length };
  }
  const spec: DatasetSpec = {
    name,
    title: 'reliability fixture',
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    imageShape: [28, 28],
    files: specFiles,
    mirrors: [],
  };
  return { spec, files };
}

import type { DatasetFileSpec } from '../registry.js';

/**
 * A data set shipped as one archive of CIFAR-style binary batches: each record is 1 label byte
 * then channels × rows × cols pixel bytes, the channels as whole planes (R, then G, then B).
 */
export interface ArchiveDatasetSpec {
  /** Registry key and cache subdirectory, e.g. 'cifar-10'. */
  name: string;
  title: string;
  classNames: readonly string[];
  /** [channels, rows, cols] of one image. */
  imageShape: readonly [number, number, number];
  /** The archive (.tar.gz) and its published digests. */
  archive: DatasetFileSpec;
  /** Batch files inside the archive (matched by their base name) that make the training set, in order. */
  trainBatches: readonly string[];
  /** Batch files that make the test set. */
  testBatches: readonly string[];
  /** Records per batch file, when fixed (checked). */
  recordsPerBatch?: number;
  mirrors: readonly string[];
  howToGet?: string;
}

/** Bytes per record: the label byte and the pixels. */
export function recordBytes(spec: Pick<ArchiveDatasetSpec, 'imageShape'>): number {
  const [c, h, w] = spec.imageShape;
  return 1 + c * h * w;
}

/**
 * CIFAR-10 (Krizhevsky, 2009): 50,000 train + 10,000 test 32×32 colour images in 10 classes, as
 * the "binary version" archive: data_batch_1..5.bin and test_batch.bin of 10,000 records each.
 * The MD5 and size are the ones published on the data set's page (and in torchvision).
 */
export const CIFAR10: ArchiveDatasetSpec = {
  name: 'cifar-10',
  title: 'CIFAR-10 (Krizhevsky, Nair, Hinton)',
  classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
  imageShape: [3, 32, 32],
  archive: {
    fileName: 'cifar-10-binary.tar.gz',
    compressed: [{ md5: 'c32a1d4ab5d03f1284b67883e8d87530', source: 'upstream' }],
    compressedBytes: 170_052_171,
  },
  trainBatches: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  testBatches: ['test_batch.bin'],
  recordsPerBatch: 10_000,
  mirrors: ['https://www.cs.toronto.edu/~kriz'],
  howToGet: 'download it with network access (`scratchnet-cli train --dataset cifar-10`), set SCRATCHNET_MIRROR to a mirror holding cifar-10-binary.tar.gz, or pass --data-dir with a folder holding that file (or its unpacked cifar-10-batches-bin/)',
};

const archives = new Map<string, ArchiveDatasetSpec>([[CIFAR10.name, CIFAR10]]);

/** Adds an archive data set (tests register small synthetic ones). */
export function registerArchiveDataset(spec: ArchiveDatasetSpec): void {
  archives.set(spec.name, spec);
}

/** Names of the archive data sets (CIFAR-10 …), loaded by loadDataset like the IDX ones. */
export function archiveDatasetNames(): string[] {
  return [...archives.keys()];
}

export function getArchiveDatasetSpec(name: string): ArchiveDatasetSpec | undefined {
  return archives.get(name);
}

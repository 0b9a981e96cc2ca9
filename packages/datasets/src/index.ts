/**
 * @scratchnet/datasets — browser-safe entry: bytes in, values out. Files, the cache and
 * downloads live in "@scratchnet/datasets/node".
 */
export { DatasetError, DatasetErrorCode, isDatasetError } from './errors.js';
export { IdxType, DEFAULT_MAX_IDX_BYTES } from './idx/idx-types.js';
export type { IdxArray, IdxArrayTypes, IdxData, IdxTypeName } from './idx/idx-types.js';
export { parseIdxHeader } from './idx/idx-header.js';
export type { IdxHeader, IdxReadOptions } from './idx/idx-header.js';
export { IdxAssembler } from './idx/idx-assembler.js';
export { parseIdx, decodeIdx, readIdxChunks } from './idx/read-idx.js';
export type { DecodeIdxOptions } from './idx/read-idx.js';
export { encodeIdx } from './idx/write-idx.js';
export { isGzip, webDecompressor } from './gzip.js';
export type { Decompressor } from './gzip.js';
export {
  MNIST,
  FASHION_MNIST,
  KMNIST,
  DATASET_FILE_ROLES,
  registerDataset,
  datasetNames,
  getDatasetSpec,
  matchDigests,
  downloadCapBytes,
  DEFAULT_MAX_DOWNLOAD_BYTES,
} from './registry.js';
export type {
  DatasetSpec,
  DatasetFileSpec,
  DatasetFileRole,
  CompressedDigest,
  ComputedDigests,
  DigestMatch,
} from './registry.js';
export { ImageDataset } from './image-dataset.js';
export { CIFAR10, archiveDatasetNames, getArchiveDatasetSpec, registerArchiveDataset, recordBytes } from './cifar/cifar-spec.js';
export type { ArchiveDatasetSpec } from './cifar/cifar-spec.js';
export { readCifarRecords } from './cifar/read-cifar-binary.js';
export type { ImageDatasetInit, ImageView } from './image-dataset.js';
export { splitTrainValidation, splitTrainTest, splitIndices, validationCount, DEFAULT_VALIDATION_SPLIT, DEFAULT_TEST_SPLIT, TEST_SPLIT_SEED } from './splits.js';
export { digitsFromUnitFloats } from './unit-floats.js';

// Image preprocessing shared by the CLI's `predict` and the desktop canvas (owned by the CLI work).
export * from './preprocess/index.js';

/**
 * @scratchnet/datasets/node — files, the cache and downloads (Node only). Re-exports the
 * browser-safe entry too, so Node callers need one import.
 */
export * from './index.js';
export { defaultCacheDir, resolveCacheDir, datasetCacheDir, DATASETS_SUBDIR } from './node/cache-dir.js';
export { nodeDecompressor, readVerifiedIdx, verifyIdxFile } from './node/verify-file.js';
export { openRegularFile } from './node/regular-file.js';
export { listPartFiles, removeDeadPartFiles } from './node/part-files.js';
export type { PartFile, PartFilesSummary } from './node/part-files.js';
export type { VerifiedIdx } from './node/verify-file.js';
export { fetchToFile } from './node/fetch-to-file.js';
export type { DownloadProgress } from './node/fetch-to-file.js';
export { downloadVerified, mirrorUrl, DEFAULT_DOWNLOAD_TIMEOUT_MS, DEFAULT_DOWNLOAD_DEADLINE_MS } from './node/download-file.js';
export type { DownloadOptions } from './node/download-file.js';
export { SYSTEM_DATA_DIRS, systemDataDirs } from './node/local-sources.js';
export { loadOfflineDigits, offlineDigitsDir, OFFLINE_DIGIT_FILES, OFFLINE_TEST_SIZE } from './node/offline-digits.js';
export { loadDataset, mirrorList } from './node/load-dataset.js';
export type { LoadDatasetOptions, LoadedDataset, DatasetSource } from './node/load-dataset.js';
export type { FileMatch, FileSource } from './node/resolve-file.js';
export { listDatasets, datasetPath, verifyDataset, downloadDataset, importDataset } from './node/manage-cache.js';
export type {
  CacheOptions,
  CachedDatasetInfo,
  CachedFileInfo,
  VerifyReport,
  VerifiedFileInfo,
  VerifyStatus,
  DownloadDatasetOptions,
  DownloadedDataset,
  ImportedDataset,
  CachedFileRole,
} from './node/manage-cache.js';
export { readIdxFile, writeIdxFile } from './node/idx-files.js';
export { loadImageFolder } from './node/image-folder/load-image-folder.js';
export type { ImageFolderOptions, LoadedImageFolder } from './node/image-folder/load-image-folder.js';
export { IMAGE_EXTENSIONS } from './node/image-folder/scan-folder.js';
export { decodeImage, isJpeg, toPlanes, MAX_IMAGE_PIXELS } from './node/image-folder/decode-image.js';
export type { ImageTarget, RgbaImage } from './node/image-folder/decode-image.js';
export { loadCsv } from './node/csv/load-csv.js';
export type { CsvOptions, LoadedCsv } from './node/csv/load-csv.js';
export { detectLocalData, loadLocalData } from './node/local-data.js';
export type { LocalDataInfo, LocalDataKind, LocalDataOptions, LoadedLocalData } from './node/local-data.js';

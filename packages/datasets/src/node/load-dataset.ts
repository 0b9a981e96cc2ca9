import { DatasetError, DatasetErrorCode, isDatasetError } from '../errors.js';
import { ImageDataset } from '../image-dataset.js';
import { DATASET_FILE_ROLES, type DatasetFileRole, type DatasetSpec, getDatasetSpec } from '../registry.js';
import { DEFAULT_VALIDATION_SPLIT, splitTrainValidation } from '../splits.js';
import { datasetCacheDir, resolveCacheDir } from './cache-dir.js';
import type { DownloadProgress } from './fetch-to-file.js';
import { systemDataDirs } from './local-sources.js';
import { loadOfflineDigits, offlineDigitsNotice } from './offline-digits.js';
import { removeDeadPartFiles } from './part-files.js';
import { type ArchiveDatasetSpec, getArchiveDatasetSpec } from '../cifar/cifar-spec.js';
import { loadArchiveDataset } from './cifar/load-cifar.js';
import { type FileMatch, type FileSource, type ResolvedFile, resolveFile } from './resolve-file.js';

export interface LoadDatasetOptions {
  /**
   * A folder holding the four IDX files (.gz or unpacked); used instead of cache and network. Its
   * files need not be the official ones: they are checked for structure, not against the digests.
   */
  dataDir?: string;
  /** Cache root; default SCRATCHNET_CACHE_DIR or the platform cache dir (see defaultCacheDir). */
  cacheDir?: string;
  /** Base URL(s) tried before the built-in mirrors; default SCRATCHNET_MIRROR. http(s):// or file://. */
  mirror?: string | readonly string[];
  /** Called as download bytes arrive. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Called with each notice (offline fallback, repaired cache entry) as it happens. */
  onNotice?: (message: string) => void;
  /** No network: cache and local files only (default: SCRATCHNET_OFFLINE=1). */
  offline?: boolean;
  /** Validation share of the training set: a fraction in [0, 1) or a count (default 1/12: 55,000 / 5,000). */
  validationSplit?: number;
  /** Seed of the train/validation split (default 0). */
  seed?: number;
  signal?: AbortSignal;
  /** Longest silence from a server, ms (default SCRATCHNET_DOWNLOAD_TIMEOUT_MS, else 30,000). */
  timeoutMs?: number;
  /** Longest one download request may take in all, ms (default SCRATCHNET_DOWNLOAD_DEADLINE_MS, else 600,000). */
  deadlineMs?: number;
  /** Most bytes one file's download may bring (default: the registry's .gz size plus a margin; see downloadCapBytes). */
  maxDownloadBytes?: number;
  /** Extra rounds over the mirrors (default 2). */
  retries?: number;
  /** First wait between rounds, doubled each round (default 1000 ms). */
  backoffMs?: number;
  /** Roots searched for `<root>/<name>/` (default: SCRATCHNET_SYSTEM_DATA_DIRS, else /usr/share/datasets). */
  systemDataDirs?: readonly string[];
  /**
   * For mnist: fall back to the 10,000 digits bundled in this package when the full set cannot
   * be had (default true; never when a data dir or mirror was given explicitly).
   */
  offlineFallback?: boolean;
  /** Largest IDX payload accepted, bytes (default: the registry's payload size when known, else 1 GiB). */
  maxBytes?: number;
}

export type DatasetSource = FileSource | 'offline-digits';

export interface LoadedDataset {
  name: string;
  train: ImageDataset;
  validation: ImageDataset;
  test: ImageDataset;
  classNames: readonly string[];
  /** 'download' if any file was downloaded, else 'local' if any came from a folder, else 'cache'. */
  source: DatasetSource;
  /** All notices joined by newlines, e.g. the one-line offline-digits notice. */
  notice?: string;
  notices: string[];
  /** Per file: where it was read and which digest verified it (empty for offline digits). */
  files: Partial<Record<DatasetFileRole, { path: string; source: FileSource; match: FileMatch }>>;
}

/** Mirrors to try: the option or SCRATCHNET_MIRROR first, then the registry's. */
export function mirrorList(spec: Pick<DatasetSpec, 'mirrors'>, mirror?: string | readonly string[]): { mirrors: string[]; explicit: boolean } {
  const override = mirror === undefined ? process.env.SCRATCHNET_MIRROR : mirror;
  const first = (typeof override === 'string' ? [override] : [...(override ?? [])]).filter(Boolean);
  return { mirrors: [...first, ...spec.mirrors], explicit: first.length > 0 };
}

/**
 * Loads a data set by name (or spec) from the first source that has verified files: the data
 * dir, the cache, the system data dirs (/usr/share/datasets), a download into the cache — or, for mnist with nothing
 * else available, the 10,000 bundled digits with a notice. Splits a validation set off the
 * training set with a seed.
 */
export async function loadDataset(nameOrSpec: string | DatasetSpec | ArchiveDatasetSpec, options: LoadDatasetOptions = {}): Promise<LoadedDataset> {
  const archive = typeof nameOrSpec === 'string' ? getArchiveDatasetSpec(nameOrSpec) : 'archive' in nameOrSpec ? nameOrSpec : undefined;
  if (archive) return loadArchive(archive, options);
  const spec = typeof nameOrSpec === 'string' ? getDatasetSpec(nameOrSpec) : (nameOrSpec as DatasetSpec);
  const notices: string[] = [];
  const onNotice = (message: string) => {
    notices.push(message);
    options.onNotice?.(message);
  };
  const { mirrors, explicit } = mirrorList(spec, options.mirror);
  const offline = options.offline ?? process.env.SCRATCHNET_OFFLINE === '1';
  const sourceOptions = {
    cacheDir: resolveCacheDir(options.cacheDir),
    dataDir: options.dataDir,
    systemDataDirs: options.systemDataDirs ?? systemDataDirs(),
    mirrors,
    offline,
    onNotice,
    onProgress: options.onProgress,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    deadlineMs: options.deadlineMs,
    maxDownloadBytes: options.maxDownloadBytes,
    retries: options.retries,
    backoffMs: options.backoffMs,
    maxBytes: options.maxBytes,
  };
  const canFallBack = spec.name === 'mnist' && options.offlineFallback !== false && !options.dataDir && !explicit;

  // Temp files of downloads killed in earlier runs go now, whether or not this run downloads.
  if (!options.dataDir) await removeDeadPartFiles(datasetCacheDir(spec.name, sourceOptions.cacheDir));

  const resolved: Partial<Record<DatasetFileRole, ResolvedFile>> = {};
  try {
    for (const role of DATASET_FILE_ROLES) resolved[role] = await resolveFile(spec, spec.files[role], sourceOptions);
  } catch (error) {
    const unreachable = isDatasetError(error, DatasetErrorCode.NOT_AVAILABLE, DatasetErrorCode.DOWNLOAD_FAILED, DatasetErrorCode.TIMEOUT);
    if (canFallBack && unreachable) {
      const reason = offline ? 'offline and the full set is not cached' : 'the full set could not be downloaded';
      onNotice(offlineDigitsNotice(reason));
      const digits = await loadOfflineDigits();
      return finish(spec, digits.train, digits.test, 'offline-digits', {}, notices, options);
    }
    if (unreachable && spec.howToGet) {
      const e = error as DatasetError;
      throw new DatasetError(e.code, `${e.message}. To get ${spec.name}: ${spec.howToGet}`, { file: e.file, cause: e });
    }
    throw error;
  }

  const name = spec.name;
  const train = ImageDataset.fromIdx(resolved.trainImages!.idx, resolved.trainLabels!.idx, spec.classNames, `${name} train`);
  const test = ImageDataset.fromIdx(resolved.testImages!.idx, resolved.testLabels!.idx, spec.classNames, `${name} test`);
  const sources = Object.values(resolved).map((r) => r!.source);
  const source: FileSource = sources.includes('download') ? 'download' : sources.includes('local') ? 'local' : 'cache';
  const files: LoadedDataset['files'] = {};
  for (const role of DATASET_FILE_ROLES) {
    const r = resolved[role]!;
    files[role] = { path: r.path, source: r.source, match: r.match };
  }
  return finish(spec, train, test, source, files, notices, options);
}

/** CIFAR-10 and other archive data sets: data dir, cache or verified download (loadArchiveDataset), then the same validation split. */
async function loadArchive(spec: ArchiveDatasetSpec, options: LoadDatasetOptions): Promise<LoadedDataset> {
  const notices: string[] = [];
  const onNotice = (message: string) => {
    notices.push(message);
    options.onNotice?.(message);
  };
  const { mirrors } = mirrorList(spec, options.mirror);
  const cacheDir = resolveCacheDir(options.cacheDir);
  if (!options.dataDir) await removeDeadPartFiles(datasetCacheDir(spec.name, cacheDir));
  const loaded = await loadArchiveDataset(spec, {
    cacheDir,
    dataDir: options.dataDir,
    mirrors,
    offline: options.offline ?? process.env.SCRATCHNET_OFFLINE === '1',
    onNotice,
    onProgress: options.onProgress,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    deadlineMs: options.deadlineMs,
    retries: options.retries,
    backoffMs: options.backoffMs,
  }).catch((error) => {
    const unreachable = isDatasetError(error, DatasetErrorCode.NOT_AVAILABLE, DatasetErrorCode.DOWNLOAD_FAILED, DatasetErrorCode.TIMEOUT);
    if (unreachable && spec.howToGet) {
      const e = error as DatasetError;
      throw new DatasetError(e.code, `${e.message}. To get ${spec.name}: ${spec.howToGet}`, { file: e.file, cause: e });
    }
    throw error;
  });
  return finish(spec, loaded.train, loaded.test, loaded.source, {}, notices, options);
}

function finish(
  spec: Pick<DatasetSpec, 'name' | 'classNames'>,
  fullTrain: ImageDataset,
  test: ImageDataset,
  source: DatasetSource,
  files: LoadedDataset['files'],
  notices: string[],
  options: LoadDatasetOptions,
): LoadedDataset {
  const { train, validation } = splitTrainValidation(fullTrain, options.validationSplit ?? DEFAULT_VALIDATION_SPLIT, options.seed ?? 0);
  return {
    name: spec.name,
    train,
    validation,
    test,
    classNames: spec.classNames,
    source,
    notice: notices.length > 0 ? notices.join('\n') : undefined,
    notices,
    files,
  };
}

import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { DatasetError, DatasetErrorCode, isDatasetError } from '../errors.js';
import { isGzip } from '../gzip.js';
import { DATASET_FILE_ROLES, type DatasetFileRole, type DatasetSpec, type DigestMatch, datasetNames, getDatasetSpec } from '../registry.js';
import { datasetCacheDir, resolveCacheDir } from './cache-dir.js';
import type { DownloadProgress } from './fetch-to-file.js';
import { findInDir } from './local-sources.js';
import { mirrorList } from './load-dataset.js';
import { resolveFile } from './resolve-file.js';
import { listPartFiles, type PartFilesSummary, removeDeadPartFiles, summarizeParts } from './part-files.js';
import { verifyIdxFile } from './verify-file.js';
import { type ArchiveDatasetSpec, archiveDatasetNames, getArchiveDatasetSpec } from '../cifar/cifar-spec.js';
import { describeArchiveCache, downloadArchiveDataset, importArchiveDataset, verifyArchiveDataset } from './cifar/archive-cache.js';

export interface CacheOptions {
  /** Cache root; default SCRATCHNET_CACHE_DIR or the platform cache dir. */
  cacheDir?: string;
}

/** The IDX data sets' four files, or an archive data set's one archive (CIFAR-10). */
export type CachedFileRole = DatasetFileRole | 'archive';

export interface CachedFileInfo {
  role: CachedFileRole;
  fileName: string;
  path: string;
  present: boolean;
  /** Size on disk, when present. */
  bytes?: number;
}

export interface CachedDatasetInfo {
  name: string;
  title: string;
  /** Cache folder of this data set. */
  dir: string;
  /** Every file present: the four IDX files, or the archive (not verified; see verifyDataset). */
  complete: boolean;
  totalBytes: number;
  files: CachedFileInfo[];
  /**
   * Temp files of unfinished downloads in the folder: how many, their bytes, and how many a
   * running process is still writing. The others are removed by the next load or download.
   */
  partFiles: PartFilesSummary;
}

/** What is cached where, for every registered data set (IDX, then archives such as CIFAR-10). Cheap: no hashing. */
export async function listDatasets(options: CacheOptions = {}): Promise<CachedDatasetInfo[]> {
  return Promise.all([
    ...datasetNames().map((name) => describeCache(getDatasetSpec(name), options)),
    ...archiveDatasetNames().map((name) => describeArchiveCache(getArchiveDatasetSpec(name) as ArchiveDatasetSpec, options)),
  ]);
}

/** The archive spec when `name` names (or is) an archive data set. */
function archiveSpec(name: string | DatasetSpec | ArchiveDatasetSpec): ArchiveDatasetSpec | undefined {
  return typeof name === 'string' ? getArchiveDatasetSpec(name) : 'archive' in name ? name : undefined;
}

async function describeCache(spec: DatasetSpec, options: CacheOptions): Promise<CachedDatasetInfo> {
  const dir = datasetCacheDir(spec.name, options.cacheDir);
  const files = await Promise.all(
    DATASET_FILE_ROLES.map(async (role): Promise<CachedFileInfo> => {
      const fileName = spec.files[role].fileName;
      const path = join(dir, fileName);
      const info = await stat(path).catch(() => undefined);
      return { role, fileName, path, present: Boolean(info?.isFile()), bytes: info?.isFile() ? info.size : undefined };
    }),
  );
  return {
    name: spec.name,
    title: spec.title,
    dir,
    complete: files.every((f) => f.present),
    totalBytes: files.reduce((n, f) => n + (f.bytes ?? 0), 0),
    files,
    partFiles: summarizeParts(await listPartFiles(dir)),
  };
}

/** The cache folder of one data set (it may not exist yet). */
export function datasetPath(name: string, options: CacheOptions = {}): string {
  return datasetCacheDir((archiveSpec(name) ?? getDatasetSpec(name)).name, options.cacheDir);
}

export type VerifyStatus = 'ok' | 'missing' | 'corrupt';

export interface VerifiedFileInfo {
  role: CachedFileRole;
  fileName: string;
  path: string;
  status: VerifyStatus;
  /** Which published digest matched (status 'ok'). */
  match?: DigestMatch;
  bytes?: number;
  /** Why it is corrupt (status 'corrupt'): code and message. */
  error?: { code: string; message: string };
}

export interface VerifyReport {
  name: string;
  dir: string;
  ok: boolean;
  files: VerifiedFileInfo[];
  /** Temp files of unfinished downloads in `dir` (they do not make it fail). */
  partFiles: PartFilesSummary;
}

/**
 * Checks every file of a data set against the published digests: in the cache, or in `dir`
 * (e.g. a data dir before importing it). Streams each file through the hashes (constant
 * memory, no decoding); never changes anything.
 */
export async function verifyDataset(name: string | DatasetSpec | ArchiveDatasetSpec, options: CacheOptions & { dir?: string; maxBytes?: number } = {}): Promise<VerifyReport> {
  const archive = archiveSpec(name);
  if (archive) return verifyArchiveDataset(archive, options);
  const spec = typeof name === 'string' ? getDatasetSpec(name) : (name as DatasetSpec);
  const dir = options.dir ?? datasetCacheDir(spec.name, options.cacheDir);
  const files: VerifiedFileInfo[] = [];
  for (const role of DATASET_FILE_ROLES) {
    const file = spec.files[role];
    const found = options.dir ? await findInDir(dir, file) : await stat(join(dir, file.fileName)).then(() => join(dir, file.fileName), () => undefined);
    if (!found) {
      files.push({ role, fileName: file.fileName, path: join(dir, file.fileName), status: 'missing' });
      continue;
    }
    try {
      const verified = await verifyIdxFile(found, file, options.maxBytes);
      files.push({ role, fileName: file.fileName, path: found, status: 'ok', match: verified.match, bytes: verified.bytes });
    } catch (error) {
      if (!isDatasetError(error)) throw error;
      files.push({ role, fileName: file.fileName, path: found, status: 'corrupt', error: { code: error.code, message: error.message } });
    }
  }
  return { name: spec.name, dir, ok: files.every((f) => f.status === 'ok'), files, partFiles: summarizeParts(await listPartFiles(dir)) };
}

export interface DownloadDatasetOptions extends CacheOptions {
  mirror?: string | readonly string[];
  onProgress?: (progress: DownloadProgress) => void;
  onNotice?: (message: string) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
  deadlineMs?: number;
  maxDownloadBytes?: number;
  retries?: number;
  backoffMs?: number;
}

export interface DownloadedDataset {
  name: string;
  dir: string;
  files: Array<{ role: CachedFileRole; path: string; source: 'cache' | 'download'; match: DigestMatch }>;
}

export interface ImportedDataset {
  name: string;
  dir: string;
  files: Array<{ role: CachedFileRole; from: string; path: string; match: DigestMatch }>;
}

/**
 * Makes sure all four files (or an archive data set's archive) are in the cache and verified, downloading what is missing or
 * corrupt. Local folders are not consulted (use importDataset for those).
 */
export async function downloadDataset(name: string | DatasetSpec | ArchiveDatasetSpec, options: DownloadDatasetOptions = {}): Promise<DownloadedDataset> {
  const archive = archiveSpec(name);
  if (archive) return downloadArchiveDataset(archive, options);
  const spec = typeof name === 'string' ? getDatasetSpec(name) : (name as DatasetSpec);
  const cacheDir = resolveCacheDir(options.cacheDir);
  await removeDeadPartFiles(datasetCacheDir(spec.name, cacheDir));
  const files: DownloadedDataset['files'] = [];
  for (const role of DATASET_FILE_ROLES) {
    const r = await resolveFile(spec, spec.files[role], {
      ...options,
      cacheDir,
      systemDataDirs: [],
      mirrors: mirrorList(spec, options.mirror).mirrors,
      offline: false,
      onNotice: options.onNotice ?? (() => {}),
    });
    files.push({ role, path: r.path, source: r.source as 'cache' | 'download', match: r.match as DigestMatch }); // no data dir here, so always a digest match
  }
  return { name: spec.name, dir: datasetCacheDir(spec.name, cacheDir), files };
}

/**
 * Copies verified IDX files (or an archive data set's verified archive) from a folder into the cache. Every file is verified first and
 * nothing is copied unless all four pass. Unpacked files (no .gz) are gzip-compressed on the
 * way in; they verify by their payload digest. Each copy lands by temp file + rename.
 */
export async function importDataset(name: string | DatasetSpec | ArchiveDatasetSpec, fromDir: string, options: CacheOptions & { maxBytes?: number } = {}): Promise<ImportedDataset> {
  const archive = archiveSpec(name);
  if (archive) return importArchiveDataset(archive, fromDir, options);
  const spec = typeof name === 'string' ? getDatasetSpec(name) : (name as DatasetSpec);
  const dir = datasetCacheDir(spec.name, options.cacheDir);
  const sources: Array<{ role: DatasetFileRole; from: string; match: DigestMatch }> = [];
  for (const role of DATASET_FILE_ROLES) {
    const file = spec.files[role];
    const from = await findInDir(fromDir, file);
    if (!from) {
      throw new DatasetError(DatasetErrorCode.NOT_AVAILABLE, `${fromDir}: has no ${file.fileName} (or unpacked ${file.fileName.replace(/\.gz$/, '')}); nothing was imported`, { file: join(fromDir, file.fileName) });
    }
    const { match } = await verifyIdxFile(from, file, options.maxBytes);
    sources.push({ role, from, match });
  }
  await mkdir(dir, { recursive: true }).catch((cause) => {
    throw new DatasetError(DatasetErrorCode.CACHE_ERROR, `${dir}: cannot create the cache folder (${(cause as Error).message})`, { file: dir, cause });
  });
  await removeDeadPartFiles(dir);
  const files: ImportedDataset['files'] = [];
  for (const { role, from, match } of sources) {
    const path = join(dir, spec.files[role].fileName);
    const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.part`;
    try {
      if (await startsWithGzip(from)) await copyFile(from, temp);
      else await pipeline(createReadStream(from), createGzip(), createWriteStream(temp, { flags: 'wx' }));
      await rename(temp, path);
    } catch (cause) {
      await rm(temp, { force: true });
      throw new DatasetError(DatasetErrorCode.CACHE_ERROR, `${path}: cannot write (${(cause as Error).message})`, { file: path, cause });
    }
    files.push({ role, from, path, match });
  }
  return { name: spec.name, dir, files };
}

/** True when a (verified, regular) file starts with the gzip magic. */
async function startsWithGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(2);
    await handle.read(head, 0, 2, 0);
    return isGzip(head);
  } finally {
    await handle.close();
  }
}

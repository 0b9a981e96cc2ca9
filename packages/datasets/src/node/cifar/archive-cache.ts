import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchiveDatasetSpec } from '../../cifar/cifar-spec.js';
import { DatasetError, DatasetErrorCode, isDatasetError } from '../../errors.js';
import { datasetCacheDir, resolveCacheDir } from '../cache-dir.js';
import { mirrorList } from '../load-dataset.js';
import type { CachedDatasetInfo, CacheOptions, DownloadDatasetOptions, DownloadedDataset, ImportedDataset, VerifyReport } from '../manage-cache.js';
import { listPartFiles, removeDeadPartFiles, summarizeParts } from '../part-files.js';
import { downloadArchive, verifyArchive } from './load-cifar.js';

/**
 * The data-set cache commands (list, verify, download, import) for an archive data set such as
 * CIFAR-10: its one file is the archive, checked against the published digest like an IDX file.
 */

const archivePath = (spec: ArchiveDatasetSpec, dir: string) => join(dir, spec.archive.fileName);

export async function describeArchiveCache(spec: ArchiveDatasetSpec, options: CacheOptions): Promise<CachedDatasetInfo> {
  const dir = datasetCacheDir(spec.name, options.cacheDir);
  const path = archivePath(spec, dir);
  const info = await stat(path).catch(() => undefined);
  const present = Boolean(info?.isFile());
  return {
    name: spec.name,
    title: spec.title,
    dir,
    complete: present,
    totalBytes: present ? (info?.size ?? 0) : 0,
    files: [{ role: 'archive', fileName: spec.archive.fileName, path, present, bytes: present ? info?.size : undefined }],
    partFiles: summarizeParts(await listPartFiles(dir)),
  };
}

/** The archive in the cache (or in `dir`) against its published digest; never changes anything. */
export async function verifyArchiveDataset(spec: ArchiveDatasetSpec, options: CacheOptions & { dir?: string }): Promise<VerifyReport> {
  const dir = options.dir ?? datasetCacheDir(spec.name, options.cacheDir);
  const path = archivePath(spec, dir);
  const file = { role: 'archive' as const, fileName: spec.archive.fileName, path };
  const present = (await stat(path).catch(() => undefined))?.isFile() ?? false;
  let verified: VerifyReport['files'][number];
  if (!present) verified = { ...file, status: 'missing' };
  else {
    try {
      const { match, bytes } = await verifyArchive(spec, path);
      verified = { ...file, status: 'ok', match, bytes };
    } catch (error) {
      if (!isDatasetError(error)) throw error;
      verified = { ...file, status: 'corrupt', error: { code: error.code, message: error.message } };
    }
  }
  return { name: spec.name, dir, ok: verified.status === 'ok', files: [verified], partFiles: summarizeParts(await listPartFiles(dir)) };
}

/** Makes sure the verified archive is in the cache, downloading it (verified) when it is missing or corrupt. */
export async function downloadArchiveDataset(spec: ArchiveDatasetSpec, options: DownloadDatasetOptions): Promise<DownloadedDataset> {
  const cacheDir = resolveCacheDir(options.cacheDir);
  const dir = datasetCacheDir(spec.name, cacheDir);
  const path = archivePath(spec, dir);
  const onNotice = options.onNotice ?? (() => {});
  await removeDeadPartFiles(dir);
  if ((await stat(path).catch(() => undefined))?.isFile()) {
    try {
      const { match } = await verifyArchive(spec, path);
      return { name: spec.name, dir, files: [{ role: 'archive', path, source: 'cache', match }] };
    } catch (error) {
      if (!isDatasetError(error) || error.code === DatasetErrorCode.ABORTED) throw error;
      onNotice(`${spec.name}: cache entry ${path} is corrupt (${error.code}); fetching it again`);
    }
  }
  await downloadArchive(spec, path, { ...options, mirrors: mirrorList(spec, options.mirror).mirrors, onNotice });
  const { match } = await verifyArchive(spec, path);
  return { name: spec.name, dir, files: [{ role: 'archive', path, source: 'download', match }] };
}

/** Verifies the archive in `fromDir` and copies it into the cache (temp file + rename); nothing is copied unless it verifies. */
export async function importArchiveDataset(spec: ArchiveDatasetSpec, fromDir: string, options: CacheOptions): Promise<ImportedDataset> {
  const from = archivePath(spec, fromDir);
  if (!(await stat(from).catch(() => undefined))?.isFile()) {
    throw new DatasetError(DatasetErrorCode.NOT_AVAILABLE, `${fromDir}: has no ${spec.archive.fileName}; nothing was imported`, { file: from });
  }
  const { match } = await verifyArchive(spec, from);
  const dir = datasetCacheDir(spec.name, options.cacheDir);
  await mkdir(dir, { recursive: true }).catch((cause) => {
    throw new DatasetError(DatasetErrorCode.CACHE_ERROR, `${dir}: cannot create the cache folder (${(cause as Error).message})`, { file: dir, cause });
  });
  await removeDeadPartFiles(dir);
  const path = archivePath(spec, dir);
  const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.part`;
  try {
    await copyFile(from, temp);
    await rename(temp, path);
  } catch (cause) {
    await rm(temp, { force: true });
    throw new DatasetError(DatasetErrorCode.CACHE_ERROR, `${path}: cannot write (${(cause as Error).message})`, { file: path, cause });
  }
  return { name: spec.name, dir, files: [{ role: 'archive', from, path, match }] };
}

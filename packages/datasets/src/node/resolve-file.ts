import { join } from 'node:path';
import { DatasetError, DatasetErrorCode, isDatasetError } from '../errors.js';
import type { IdxArray } from '../idx/idx-types.js';
import type { DatasetFileSpec, DatasetSpec, DigestMatch } from '../registry.js';
import { datasetCacheDir } from './cache-dir.js';
import { type DownloadOptions, downloadVerified } from './download-file.js';
import { exists, findInDir, systemDirsFor } from './local-sources.js';
import { readVerifiedIdx } from './verify-file.js';

/** Where a file came from. */
export type FileSource = 'cache' | 'download' | 'local';

export interface ResolvedFile {
  idx: IdxArray;
  path: string;
  source: FileSource;
  match: DigestMatch;
}

export interface SourceOptions extends Omit<DownloadOptions, 'mirrors'> {
  /** Cache root (already resolved). */
  cacheDir: string;
  /** A folder the user pointed at; when given, the file must be there and verify. */
  dataDir?: string;
  /** Roots such as /usr/share/datasets searched after the cache. */
  systemDataDirs: readonly string[];
  /** Mirrors in order (override first). */
  mirrors: readonly string[];
  /** Never touch the network. */
  offline: boolean;
  onNotice: (message: string) => void;
}

/**
 * Finds one verified file, in this order: the data dir (when given), the cache, system data
 * dirs, then a download into the cache. A local copy that fails verification is an error, not
 * silently used; a cache entry that fails is reported and fetched again.
 */
export async function resolveFile(spec: DatasetSpec, file: DatasetFileSpec, options: SourceOptions): Promise<ResolvedFile> {
  if (options.dataDir) {
    const path = await findInDir(options.dataDir, file);
    if (!path) {
      throw new DatasetError(
        DatasetErrorCode.NOT_AVAILABLE,
        `${options.dataDir}: has no ${file.fileName} (or unpacked ${file.fileName.replace(/\.gz$/, '')}) for ${spec.name}`,
        { file: join(options.dataDir, file.fileName) },
      );
    }
    return { ...(await readVerifiedIdx(path, file, options.maxBytes)), path, source: 'local' };
  }

  const cachePath = join(datasetCacheDir(spec.name, options.cacheDir), file.fileName);
  if (await exists(cachePath)) {
    try {
      return { ...(await readVerifiedIdx(cachePath, file, options.maxBytes)), path: cachePath, source: 'cache' };
    } catch (error) {
      if (!isDatasetError(error) || error.code === DatasetErrorCode.ABORTED) throw error;
      // Left in place until a verified copy is renamed over it: deleting it here could remove a
      // good copy another process has just put there.
      options.onNotice(`${spec.name}: cache entry ${cachePath} is corrupt (${error.code}); fetching it again`);
    }
  }

  for (const dir of systemDirsFor(spec, options.systemDataDirs)) {
    const path = await findInDir(dir, file);
    if (path) return { ...(await readVerifiedIdx(path, file, options.maxBytes)), path, source: 'local' };
  }

  if (options.offline) {
    throw new DatasetError(
      DatasetErrorCode.NOT_AVAILABLE,
      `${spec.name}: ${file.fileName} is not in the cache (${cachePath}) or a local folder, and downloads are off (offline)`,
      { file: cachePath },
    );
  }
  const downloaded = await downloadVerified(file, cachePath, { ...options, mirrors: options.mirrors });
  return { ...downloaded, path: cachePath, source: 'download' };
}

import { join } from 'node:path';
import { DatasetError, DatasetErrorCode, isDatasetError } from '../errors.js';
import type { IdxArray } from '../idx/idx-types.js';
import type { DatasetFileSpec, DatasetSpec, DigestMatch } from '../registry.js';
import { datasetCacheDir } from './cache-dir.js';
import { type DownloadOptions, downloadVerified } from './download-file.js';
import { exists, findInDir, systemDirsFor } from './local-sources.js';
import { readIdxFile } from './idx-files.js';
import { readVerifiedIdx, verifyIdxFile } from './verify-file.js';

/** Where a file came from. */
export type FileSource = 'cache' | 'download' | 'local';

/** Which published digest a file matched, or 'own-file' for a user's file in a data dir (checked for structure only). */
export type FileMatch = DigestMatch | 'own-file';

export interface ResolvedFile {
  idx: IdxArray;
  path: string;
  source: FileSource;
  match: FileMatch;
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
 * Finds one file, in this order: the data dir (when given), the cache, system data dirs, then a
 * download into the cache. Files from the cache, system dirs and downloads must match the
 * official digests (a cache entry that fails is reported and fetched again). A data dir is the
 * user's own: an official copy there is still recognised, anything else is read as it is,
 * checked only for structure (header against length).
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
    return { ...(await readOwnIdx(path, file, options.maxBytes)), path, source: 'local' };
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

/**
 * A file in a user's data dir: the official file when it matches a published digest, else the
 * user's own data, read as it is. Structure is still checked (magic, header against length,
 * truncated gzip) and a structural error names the file and what is wrong with it. Under an
 * official name, a file may hold at most the official payload (unless `maxBytes` says more), so a
 * gzip bomb under that name costs no more memory than the real file would.
 */
async function readOwnIdx(path: string, file: DatasetFileSpec, maxBytes: number | undefined): Promise<{ idx: IdxArray; match: FileMatch }> {
  // Hashing first, in constant memory, so the file is decoded once whichever it turns out to be.
  let match: FileMatch = 'own-file';
  try {
    match = (await verifyIdxFile(path, file, maxBytes)).match;
  } catch (error) {
    const notOfficial = isDatasetError(error, DatasetErrorCode.CHECKSUM_MISMATCH, DatasetErrorCode.TOO_LARGE, DatasetErrorCode.INFLATE_TOO_LARGE);
    if (!notOfficial) throw error;
  }
  const cap = maxBytes ?? file.payloadBytes;
  try {
    return { idx: await readIdxFile(path, cap === undefined ? {} : { maxBytes: cap }), match };
  } catch (error) {
    if (maxBytes === undefined && cap !== undefined && isDatasetError(error, DatasetErrorCode.TOO_LARGE)) {
      throw new DatasetError(
        DatasetErrorCode.TOO_LARGE,
        `${error.message.replace(/; the file is corrupt.*$/, '')}, more than the official ${file.fileName} holds; if it is your own data set, give its files other names (e.g. train-images.idx3-ubyte) so they are read as your own data, or pass maxBytes`,
        { file: path, cause: error },
      );
    }
    throw error;
  }
}

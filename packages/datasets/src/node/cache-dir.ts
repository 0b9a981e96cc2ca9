import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { assertDatasetName } from '../registry.js';

/** Subfolder of the scratchnet cache that holds data sets: `<cache>/datasets/<name>/<file>`. */
export const DATASETS_SUBDIR = 'datasets';

/**
 * The scratchnet cache root: `SCRATCHNET_CACHE_DIR` when set, else the platform's cache
 * directory — `$XDG_CACHE_HOME/scratchnet` or `~/.cache/scratchnet` on Linux,
 * `~/Library/Caches/scratchnet` on macOS, `%LOCALAPPDATA%\scratchnet\Cache` on Windows.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SCRATCHNET_CACHE_DIR) return resolve(env.SCRATCHNET_CACHE_DIR);
  const home = env.HOME || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'scratchnet');
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'scratchnet', 'Cache');
  // The XDG spec says to ignore relative values.
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.cache'), 'scratchnet');
}

/** The cache root to use: the option, else defaultCacheDir(). */
export function resolveCacheDir(cacheDir?: string): string {
  return cacheDir ? resolve(cacheDir) : defaultCacheDir();
}

/** Where one data set's files live in the cache. */
export function datasetCacheDir(name: string, cacheDir?: string): string {
  assertDatasetName(name);
  return join(resolveCacheDir(cacheDir), DATASETS_SUBDIR, name);
}

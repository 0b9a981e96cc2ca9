import { readFileSync } from 'node:fs';
import { DatasetError, DatasetErrorCode } from '../../errors.js';
import { ImageDataset } from '../../image-dataset.js';
import { DEFAULT_TEST_SPLIT, splitTrainTest } from '../../splits.js';
import { resolveCacheDir } from '../cache-dir.js';
import { decodeImage, type ImageTarget } from './decode-image.js';
import { decodeAll } from './decode-pool.js';
import { type CachedFolder, folderCacheKey, folderCachePath, readFolderCache, writeFolderCache } from './folder-cache.js';
import { type ScannedFile, scanImageFolder } from './scan-folder.js';

/** Largest side kept as it is when no --image-size is given; bigger images default to 32×32. */
const MAX_NATIVE_SIDE = 64;
const FALLBACK_SIDE = 32;

export interface ImageFolderOptions {
  /** Size to bring every image to: rows × cols (a number is square). Default: the first image's size when both sides are at most 64, else 32×32. */
  imageSize?: number | readonly [number, number];
  /** 1 (grey) or 3 (RGB). Default: 3 when any image has colour, else 1. */
  channels?: 1 | 3;
  /** Share held out as the test set when the folder has no train/ and test/ (default 0.1, fixed seed). */
  testSplit?: number;
  /** Cache root (default SCRATCHNET_CACHE_DIR or the platform cache dir); decoded sets go to `<cache>/image-folders/`. */
  cacheDir?: string;
  /** Read and write the decoded-set cache (default true). */
  cache?: boolean;
  /** Files decoded so far, of all. */
  onProgress?: (progress: { done: number; total: number }) => void;
  /** One-line notices: skipped files, the size chosen, a cache hit. */
  onNotice?: (message: string) => void;
}

export interface LoadedImageFolder {
  train: ImageDataset;
  test: ImageDataset;
  classNames: readonly string[];
  /** [channels, rows, cols] of every example. */
  shape: readonly [number, number, number];
  /** True when the folder had train/ and test/; else the test set was split off with a fixed seed. */
  hasTestFolder: boolean;
  /** Files skipped: not images by their extension, or images that could not be decoded. */
  skipped: { nonImages: number; unreadable: number };
  fromCache: boolean;
  notices: string[];
}

/**
 * Loads a folder of images, one subfolder per class (optionally under train/ and test/), as
 * torchvision's ImageFolder reads it: PNG and JPEG, grey or colour, any size, each brought to one
 * size (area averaging) and channel count. Non-image files and images that fail to decode are
 * skipped and counted, never fatal. The decoded set is cached, keyed by the folder's file list,
 * sizes and mtimes, so a second load of an unchanged folder reads one file.
 */
export async function loadImageFolder(dir: string, options: ImageFolderOptions = {}): Promise<LoadedImageFolder> {
  const notices: string[] = [];
  const notice = (message: string) => {
    notices.push(message);
    options.onNotice?.(message);
  };
  const scan = await scanImageFolder(dir);
  if (scan.nonImages > 0) notice(`${dir}: skipped ${scan.nonImages} file${scan.nonImages === 1 ? '' : 's'} that are not PNG or JPEG (e.g. ${scan.firstNonImage})`);
  const files: ScannedFile[] = [...scan.train, ...(scan.test ?? [])];
  const [rows, cols] = targetSize(options.imageSize, files, notice, dir);
  const target: ImageTarget = { rows, cols, channels: options.channels };
  const useCache = options.cache !== false;
  const cachePath = folderCachePath(resolveCacheDir(options.cacheDir), folderCacheKey(dir, scan, target));

  let decoded = useCache ? await readFolderCache(cachePath) : undefined;
  const fromCache = decoded !== undefined;
  if (decoded) {
    notice(`${dir}: read ${decoded.train.labels.length + (decoded.test?.labels.length ?? 0)} decoded images from the cache (${cachePath})`);
  } else {
    decoded = await decodeFolder(dir, scan.classNames, files, scan.train.length, scan.test !== undefined, target, options);
    if (useCache) await writeFolderCache(cachePath, decoded);
  }
  if (decoded.unreadable > 0) {
    notice(`${dir}: skipped ${decoded.unreadable} image${decoded.unreadable === 1 ? '' : 's'} that could not be decoded (e.g. ${decoded.firstUnreadable}); re-save or remove ${decoded.unreadable === 1 ? 'it' : 'them'}`);
  }

  const make = (split: { images: Uint8Array; labels: Int32Array }, name: string) =>
    new ImageDataset({ ...split, rows, cols, channels: decoded.channels, classNames: decoded.classNames, name });
  const all = make(decoded.train, `${dir} train`);
  const { train, test } = decoded.test ? { train: all, test: make(decoded.test, `${dir} test`) } : splitTrainTest(all, options.testSplit ?? DEFAULT_TEST_SPLIT);
  return {
    train,
    test,
    classNames: decoded.classNames,
    shape: [decoded.channels, rows, cols],
    hasTestFolder: decoded.test !== undefined,
    skipped: { nonImages: scan.nonImages, unreadable: decoded.unreadable },
    fromCache,
    notices,
  };
}

/** rows × cols from the option, else from the first image that decodes. */
function targetSize(size: ImageFolderOptions['imageSize'], files: ScannedFile[], notice: (m: string) => void, dir: string): [number, number] {
  if (size !== undefined) {
    const [rows, cols] = typeof size === 'number' ? [size, size] : size;
    if (![rows, cols].every((n) => Number.isInteger(n) && n >= 1 && n <= 1024)) {
      throw new DatasetError(DatasetErrorCode.INVALID_ARGUMENT, `image size ${rows}×${cols} must be whole numbers of pixels from 1 to 1024`);
    }
    return [rows, cols];
  }
  for (const file of files.slice(0, 100)) {
    try {
      const { width, height } = decodeImage(readFileSync(file.path));
      if (width <= MAX_NATIVE_SIDE && height <= MAX_NATIVE_SIDE) return [height, width];
      notice(`${dir}: images are ${width}×${height}; resizing them to ${FALLBACK_SIDE}×${FALLBACK_SIDE} (choose with --image-size)`);
      return [FALLBACK_SIDE, FALLBACK_SIDE];
    } catch {
      // Unreadable: counted when the folder is decoded; try the next file for the size.
    }
  }
  return [FALLBACK_SIDE, FALLBACK_SIDE];
}

/** Decodes every file (in parallel where it pays), drops the ones that fail, settles the channel count. */
async function decodeFolder(
  dir: string,
  classNames: string[],
  files: ScannedFile[],
  trainCount: number,
  hasTest: boolean,
  target: ImageTarget,
  options: ImageFolderOptions,
): Promise<CachedFolder> {
  const total = files.length;
  options.onProgress?.({ done: 0, total });
  const batch = await decodeAll(
    files.map((f) => f.path),
    target,
    (done) => options.onProgress?.({ done, total }),
  );
  const failed = new Set(batch.failures.map((f) => f.index));
  const channels = target.channels ?? (batch.colour.some((c, i) => c === 1 && !failed.has(i)) ? 3 : 1);
  const decodedChannels = target.channels ?? 3;
  const planeSize = target.rows * target.cols;
  const take = (from: number, to: number) => {
    const keep: number[] = [];
    for (let i = from; i < to; i++) if (!failed.has(i)) keep.push(i);
    const size = channels * planeSize;
    const images = new Uint8Array(keep.length * size);
    const labels = new Int32Array(keep.length);
    keep.forEach((i, k) => {
      // Grey images decoded as three equal planes: the first plane is the image.
      const at = i * decodedChannels * planeSize;
      images.set(batch.pixels.subarray(at, at + size), k * size);
      labels[k] = files[i].label;
    });
    return { images, labels };
  };
  const train = take(0, trainCount);
  const test = hasTest ? take(trainCount, total) : undefined;
  const counts = new Array<number>(classNames.length).fill(0);
  for (const split of [train, test]) for (const l of split?.labels ?? []) counts[l]++;
  const empty = classNames.filter((_, c) => counts[c] === 0);
  if (empty.length > 0) {
    const first = batch.failures[0];
    throw new DatasetError(
      DatasetErrorCode.NOT_ENOUGH_DATA,
      `${dir}: no image of class${empty.length > 1 ? 'es' : ''} ${empty.map((n) => `'${n}'`).join(', ')} could be decoded (e.g. ${files[first.index].relative}: ${first.reason}); re-save them as PNG or JPEG`,
      { file: files[first.index].path },
    );
  }
  const first = batch.failures[0];
  return {
    channels,
    rows: target.rows,
    cols: target.cols,
    classNames,
    train,
    test,
    unreadable: batch.failures.length,
    firstUnreadable: first ? `${files[first.index].relative}: ${first.reason}` : undefined,
  };
}

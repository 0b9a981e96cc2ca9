import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ImageTarget } from './decode-image.js';
import type { ScannedFolder } from './scan-folder.js';

/** Bumped when the decoded layout or the decoding changes, so old entries are never read. */
const CACHE_VERSION = 1;
const MAGIC = 'scratchnet-image-folder\n';

/** What a cache entry holds: the decoded images of every file that decoded, with their labels. */
export interface CachedFolder {
  channels: number;
  rows: number;
  cols: number;
  classNames: string[];
  /** Per split, the pixels and labels of the images that decoded. */
  train: { images: Uint8Array; labels: Int32Array };
  test?: { images: Uint8Array; labels: Int32Array };
  unreadable: number;
  firstUnreadable?: string;
}

/**
 * The entry's key: a hash of the folder's path, every file's relative path, size and mtime, the
 * class list and the target size and channels. Any change to any of these is a new key.
 */
export function folderCacheKey(dir: string, scan: ScannedFolder, target: ImageTarget): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ v: CACHE_VERSION, dir: resolve(dir), classNames: scan.classNames, target }));
  for (const [split, files] of [['train', scan.train], ['test', scan.test ?? []]] as const) {
    for (const f of files) hash.update(`${split}\t${f.relative}\t${f.label}\t${f.size}\t${f.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 32);
}

export function folderCachePath(cacheDir: string, key: string): string {
  return join(cacheDir, 'image-folders', `${key}.bin.gz`);
}

/** The cached decode, or undefined when there is none or it cannot be read (it is then rebuilt). */
export async function readFolderCache(path: string): Promise<CachedFolder | undefined> {
  try {
    const bytes = gunzipSync(await readFile(path));
    const headerEnd = bytes.indexOf(0x0a, MAGIC.length);
    if (bytes.subarray(0, MAGIC.length).toString() !== MAGIC || headerEnd < 0) return undefined;
    const header = JSON.parse(bytes.subarray(MAGIC.length, headerEnd).toString()) as Omit<CachedFolder, 'train' | 'test'> & { trainCount: number; testCount?: number };
    const size = header.channels * header.rows * header.cols;
    let at = headerEnd + 1;
    const take = (count: number) => {
      const images = new Uint8Array(bytes.subarray(at, at + count * size));
      at += count * size;
      const labels = new Int32Array(count);
      for (let i = 0; i < count; i++) labels[i] = bytes[at + i];
      at += count;
      return { images, labels };
    };
    const train = take(header.trainCount);
    const test = header.testCount === undefined ? undefined : take(header.testCount);
    if (at !== bytes.length) return undefined;
    const { trainCount: _t, testCount: _s, ...rest } = header;
    return { ...rest, train, test };
  } catch {
    return undefined;
  }
}

/** Writes the entry atomically (temp + rename); failure to write is not an error, only a slower next run. */
export async function writeFolderCache(path: string, entry: CachedFolder): Promise<boolean> {
  if (entry.classNames.length > 256) return false; // labels are stored as bytes
  const { train, test, ...rest } = entry;
  const header = Buffer.from(`${MAGIC}${JSON.stringify({ ...rest, trainCount: train.labels.length, testCount: test?.labels.length })}\n`);
  const parts: Buffer[] = [header];
  for (const split of [train, test]) {
    if (!split) continue;
    parts.push(Buffer.from(split.images.buffer, split.images.byteOffset, split.images.byteLength), Buffer.from(Uint8Array.from(split.labels)));
  }
  const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.part`;
  try {
    await mkdir(join(path, '..'), { recursive: true });
    // Level 1: most of the size win for a fraction of the time of the default level.
    await writeFile(temp, gzipSync(Buffer.concat(parts), { level: 1 }));
    await rename(temp, path);
    return true;
  } catch {
    await rm(temp, { force: true });
    return false;
  }
}

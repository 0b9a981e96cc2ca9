import { createReadStream } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createHash } from 'node:crypto';
import { Parser, type ReadEntry } from 'tar';
import { type ArchiveDatasetSpec, recordBytes } from '../../cifar/cifar-spec.js';
import { readCifarRecords } from '../../cifar/read-cifar-binary.js';
import { DatasetError, DatasetErrorCode } from '../../errors.js';
import { ImageDataset } from '../../image-dataset.js';
import { type DigestMatch, downloadCapBytes, matchDigests } from '../../registry.js';
import { datasetCacheDir } from '../cache-dir.js';
import { downloadWith } from '../download-file.js';
import { exists } from '../local-sources.js';
import { openRegularFile } from '../regular-file.js';
import type { FileSource } from '../resolve-file.js';

export interface ArchiveSourceOptions {
  cacheDir: string;
  dataDir?: string;
  mirrors: readonly string[];
  offline: boolean;
  onNotice: (message: string) => void;
  onProgress?: Parameters<typeof downloadWith>[2]['onProgress'];
  signal?: AbortSignal;
  timeoutMs?: number;
  deadlineMs?: number;
  retries?: number;
  backoffMs?: number;
}

/**
 * An archive data set (CIFAR-10) from the first source that has it: the data dir (the archive, or
 * its unpacked batch folder, read as the user's own, checked for structure), else the cache
 * (verified against the published digest at every load), else a verified download into the
 * cache. Returns the full training set and the test set.
 */
export async function loadArchiveDataset(
  spec: ArchiveDatasetSpec,
  options: ArchiveSourceOptions,
): Promise<{ train: ImageDataset; test: ImageDataset; source: FileSource; path: string }> {
  if (options.dataDir) {
    const archive = join(options.dataDir, spec.archive.fileName);
    if (await exists(archive)) return { ...(await readArchive(spec, archive, false)), source: 'local', path: archive };
    const batches = await findBatchFolder(options.dataDir, spec);
    if (batches) return { ...(await readBatchFolder(spec, batches)), source: 'local', path: batches };
    throw new DatasetError(
      DatasetErrorCode.NOT_AVAILABLE,
      `${options.dataDir}: has neither ${spec.archive.fileName} nor the unpacked ${spec.trainBatches[0]} … ${spec.testBatches[0]} for ${spec.name}`,
      { file: archive },
    );
  }
  const cachePath = join(datasetCacheDir(spec.name, options.cacheDir), spec.archive.fileName);
  if (await exists(cachePath)) {
    try {
      await verifyArchive(spec, cachePath);
      return { ...(await readArchive(spec, cachePath)), source: 'cache', path: cachePath };
    } catch (error) {
      if (!(error instanceof DatasetError) || error.code === DatasetErrorCode.ABORTED) throw error;
      options.onNotice(`${spec.name}: cache entry ${cachePath} is corrupt (${error.code}); fetching it again`);
    }
  }
  if (options.offline) {
    throw new DatasetError(DatasetErrorCode.NOT_AVAILABLE, `${spec.name}: ${spec.archive.fileName} is not in the cache (${cachePath}) and downloads are off (offline)`, { file: cachePath });
  }
  await downloadArchive(spec, cachePath, options);
  return { ...(await readArchive(spec, cachePath)), source: 'download', path: cachePath };
}

/** Downloads the archive into `path` (temp file, verified against the published digest, then renamed). */
export async function downloadArchive(
  spec: ArchiveDatasetSpec,
  path: string,
  options: Omit<ArchiveSourceOptions, 'cacheDir' | 'dataDir' | 'offline'>,
): Promise<void> {
  await downloadWith(spec.archive, path, { ...options, mirrors: options.mirrors, maxDownloadBytes: downloadCapBytes(spec.archive) }, async (temp) => {
    await verifyArchive(spec, temp);
    return {};
  });
}

/**
 * Streams the file through the hashes its published digests use and returns the one that
 * matched; TOO_LARGE past the download cap, CHECKSUM_MISMATCH when none matches.
 */
export async function verifyArchive(spec: ArchiveDatasetSpec, path: string): Promise<{ match: DigestMatch; bytes: number }> {
  const { handle, size } = await openRegularFile(path);
  await handle.close();
  if (size > downloadCapBytes(spec.archive)) {
    throw new DatasetError(DatasetErrorCode.TOO_LARGE, `${path}: is ${size} bytes, more than any copy of ${spec.archive.fileName} can have; delete it and fetch it again`, { file: path });
  }
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  for await (const chunk of createReadStream(path)) {
    md5.update(chunk as Buffer);
    sha256.update(chunk as Buffer);
  }
  const got = { compressedMd5: md5.digest('hex'), compressedSha256: sha256.digest('hex') };
  const match = matchDigests(spec.archive, got);
  if (!match) {
    throw new DatasetError(
      DatasetErrorCode.CHECKSUM_MISMATCH,
      `${path}: checksum mismatch for ${spec.archive.fileName} — got md5 ${got.compressedMd5}, expected ${spec.archive.compressed.map((d) => d.md5 ?? d.sha256).join(' or ')}. The file is damaged or not the official one: delete it and fetch it again`,
      { file: path },
    );
  }
  return { match, bytes: size };
}

/** Reads the batch files out of a .tar.gz with node-tar's streaming parser, never unpacking to disk. */
async function readArchive(spec: ArchiveDatasetSpec, path: string, official = true): Promise<{ train: ImageDataset; test: ImageDataset }> {
  const wanted = new Set([...spec.trainBatches, ...spec.testBatches]);
  const found = new Map<string, Uint8Array>();
  // A batch entry bigger than this is refused before it is buffered (a user's own batches may be up to 10× the official size).
  const limit = (official ? 1 : 10) * (spec.recordsPerBatch ?? 100_000) * recordBytes(spec);
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        const name = basename(entry.path);
        if (entry.type !== 'File' || !wanted.has(name)) {
          entry.resume();
          return;
        }
        if (entry.size > limit) {
          reject(new DatasetError(DatasetErrorCode.TOO_LARGE, `${path}: ${entry.path} is ${entry.size} bytes, more than a ${spec.name} batch can be; the archive is not the official one`, { file: path }));
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () => found.set(name, Buffer.concat(chunks)));
      },
    });
    parser.on('error', (cause: Error) => reject(new DatasetError(DatasetErrorCode.BAD_GZIP, `${path}: cannot read the archive (${cause.message}); delete it and fetch it again`, { file: path, cause })));
    parser.on('end', () => resolve());
    const input = createReadStream(path);
    input.on('error', reject);
    input.pipe(parser as unknown as NodeJS.WritableStream);
  });
  return fromBatches(spec, path, found, official);
}

async function findBatchFolder(dir: string, spec: ArchiveDatasetSpec): Promise<string | undefined> {
  for (const candidate of [dir, join(dir, 'cifar-10-batches-bin')]) {
    const names = await readdir(candidate).catch(() => [] as string[]);
    if (spec.trainBatches.every((b) => names.includes(b))) return candidate;
  }
  return undefined;
}

async function readBatchFolder(spec: ArchiveDatasetSpec, dir: string): Promise<{ train: ImageDataset; test: ImageDataset }> {
  const found = new Map<string, Uint8Array>();
  for (const name of [...spec.trainBatches, ...spec.testBatches]) {
    const path = join(dir, name);
    if (await exists(path)) found.set(name, await readFile(path));
  }
  return fromBatches(spec, dir, found, false);
}

/** The batches as data sets; `official` copies must also hold the official record count per batch (a user's own need only whole records). */
function fromBatches(spec: ArchiveDatasetSpec, source: string, found: Map<string, Uint8Array>, official: boolean): { train: ImageDataset; test: ImageDataset } {
  const join_ = (names: readonly string[]) => {
    const parts = names.map((name) => {
      const bytes = found.get(name);
      if (!bytes) throw new DatasetError(DatasetErrorCode.TRUNCATED, `${source}: has no ${name}; the archive is incomplete, fetch it again`, { file: source });
      const records = readCifarRecords(bytes, spec, `${source}: ${name}`);
      if (official && spec.recordsPerBatch !== undefined && records.labels.length !== spec.recordsPerBatch) {
        throw new DatasetError(DatasetErrorCode.LENGTH_MISMATCH, `${source}: ${name} holds ${records.labels.length} records, not ${spec.recordsPerBatch}; fetch it again`, { file: source });
      }
      return records;
    });
    const images = new Uint8Array(parts.reduce((n, p) => n + p.images.length, 0));
    const labels = new Int32Array(parts.reduce((n, p) => n + p.labels.length, 0));
    let at = 0;
    let row = 0;
    for (const p of parts) {
      images.set(p.images, at);
      labels.set(p.labels, row);
      at += p.images.length;
      row += p.labels.length;
    }
    return { images, labels };
  };
  const [channels, rows, cols] = spec.imageShape;
  const make = (names: readonly string[], split: string) => new ImageDataset({ ...join_(names), channels, rows, cols, classNames: spec.classNames, name: `${spec.name} ${split}` });
  return { train: make(spec.trainBatches, 'train'), test: make(spec.testBatches, 'test') };
}

import { basename, resolve } from 'node:path';
import { type ImageDataset, loadLocalData } from '@scratchnet/datasets/node';
import type { DatasetBytes, DatasetProgress, LoadDatasetRequest, PickedDataset } from '../shared/bridge-api.js';
import { DesktopError, DesktopErrorCode } from '../shared/desktop-error.js';
import { decodeIdxPair, MAX_PICKED_IDX_BYTES } from '../shared/idx-pair.js';
import type { DatasetStore } from './host-services.js';
import { ownBuffer } from './named-datasets.js';
import { readRegularFile } from './regular-file.js';

/** Fetches a named split (from the cache, downloading it first if needed). */
export type NamedDatasetLoader = (request: LoadDatasetRequest, onProgress: (progress: DatasetProgress) => void) => Promise<DatasetBytes>;

/** The app trains on 28×28 greyscale images, so a picked folder is brought to that. */
const PICKED_SIDE = 28;
/** Labels cross to the renderer as bytes. */
const MAX_CLASSES = 256;

/**
 * Data sets for the renderer: named ones through `loadNamed`, picked IDX files (regular files
 * only) read and checked here, and picked image folders or CSVs loaded here with
 * @scratchnet/datasets (decoded, resized, cached; bad files skipped and counted).
 */
export function createDatasetStore(loadNamed: NamedDatasetLoader, options: { cacheDir?: string } = {}): DatasetStore {
  return {
    load: loadNamed,
    async readFiles(paths) {
      const files = [];
      for (const path of paths) {
        // gzip can expand ~10×; the decoder enforces the decompressed cap itself.
        files.push({ name: basename(path), bytes: await readRegularFile(path, MAX_PICKED_IDX_BYTES, 'pick an MNIST-style IDX file') });
      }
      return decodeIdxPair(files);
    },
    async readFolder(path) {
      const loaded = await loadLocalData(path, { imageSize: PICKED_SIDE, channels: 1, cacheDir: options.cacheDir });
      if (loaded.classNames.length > MAX_CLASSES) {
        throw new DesktopError(DesktopErrorCode.INVALID_FILE, `${path}: has ${loaded.classNames.length} classes; the app takes at most ${MAX_CLASSES}`);
      }
      if (loaded.train.channels !== 1 || loaded.train.rows !== PICKED_SIDE || loaded.train.cols !== PICKED_SIDE) {
        throw new DesktopError(DesktopErrorCode.INVALID_FILE, `${path}: holds ${loaded.train.shape.join('×')} images; the app trains on 28×28 greyscale (use scratchnet-cli for other sizes)`);
      }
      const label = basename(resolve(path));
      return { label, classNames: [...loaded.classNames], train: toBytes(loaded.train, `${label}/train`), test: toBytes(loaded.test, `${label}/test`), skipped: { ...loaded.skipped } } satisfies PickedDataset;
    },
  };
}

function toBytes(data: ImageDataset, source: string): DatasetBytes {
  return { source, count: data.size, rows: data.rows, cols: data.cols, images: ownBuffer(data.images), labels: Uint8Array.from(data.labels) };
}

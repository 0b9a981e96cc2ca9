import { basename } from 'node:path';
import type { DatasetBytes, DatasetProgress, LoadDatasetRequest } from '../shared/bridge-api.js';
import { decodeIdxPair, MAX_PICKED_IDX_BYTES } from '../shared/idx-pair.js';
import type { DatasetStore } from './host-services.js';
import { readRegularFile } from './regular-file.js';

/** Fetches a named split (from the cache, downloading it first if needed). */
export type NamedDatasetLoader = (request: LoadDatasetRequest, onProgress: (progress: DatasetProgress) => void) => Promise<DatasetBytes>;

/** Data sets for the renderer: named ones through `loadNamed`, picked IDX files (regular files only) read and checked here. */
export function createDatasetStore(loadNamed: NamedDatasetLoader): DatasetStore {
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
  };
}

import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DatasetBytes, DatasetProgress, LoadDatasetRequest } from '../shared/bridge-api.js';
import { DesktopError, DesktopErrorCode } from '../shared/desktop-error.js';
import { decodeIdxPair, MAX_PICKED_IDX_BYTES } from '../shared/idx-pair.js';
import type { DatasetStore } from './host-services.js';

/** Fetches a named split (from the cache, downloading it first if needed). */
export type NamedDatasetLoader = (request: LoadDatasetRequest, onProgress: (progress: DatasetProgress) => void) => Promise<DatasetBytes>;

/** Data sets for the renderer: named ones through `loadNamed`, picked IDX files read and checked here. */
export function createDatasetStore(loadNamed: NamedDatasetLoader): DatasetStore {
  return {
    load: loadNamed,
    async readFiles(paths) {
      const files = [];
      for (const path of paths) {
        const name = basename(path);
        try {
          // gzip can expand ~10×; the decoder enforces the decompressed cap itself.
          if ((await stat(path)).size > MAX_PICKED_IDX_BYTES) {
            throw new DesktopError(DesktopErrorCode.INVALID_FILE, `${name} is larger than ${MAX_PICKED_IDX_BYTES} bytes; pick an MNIST-style IDX file`);
          }
          files.push({ name, bytes: new Uint8Array(await readFile(path)) });
        } catch (error) {
          if (error instanceof DesktopError) throw error;
          const reason = (error as NodeJS.ErrnoException).code ?? String(error);
          throw new DesktopError(DesktopErrorCode.FILE_ACCESS, `Could not read ${name} (${reason})`, { cause: error });
        }
      }
      return decodeIdxPair(files);
    },
  };
}

import { type LoadDatasetOptions, type LoadedDataset, loadDataset } from '@scratchnet/datasets/node';
import type { DatasetBytes, DatasetProgress } from '../shared/bridge-api.js';
import type { NamedDatasetLoader } from './dataset-store.js';

/**
 * Named data sets through @scratchnet/datasets: its cache, a system copy, or a verified download
 * (MNIST falls back to the bundled digits when it cannot be had). Each set is loaded once per
 * app run and kept, since the renderer asks for the train and test splits separately.
 * `options` lets tests point it at a local folder.
 */
export function createNamedDatasetLoader(options: LoadDatasetOptions = {}): NamedDatasetLoader {
  const loaded = new Map<string, Promise<LoadedDataset>>();
  return async (request, onProgress) => {
    let pending = loaded.get(request.name);
    if (!pending) {
      pending = loadDataset(request.name, {
        ...options,
        // The renderer splits its own validation set off the full training set.
        validationSplit: 0,
        onProgress: (p) => onProgress({ source: p.file, receivedBytes: p.bytesDone, totalBytes: p.bytesTotal ?? null } satisfies DatasetProgress),
      });
      loaded.set(request.name, pending);
      pending.catch(() => loaded.delete(request.name));
    }
    const dataset = await pending;
    const split = request.split === 'train' ? dataset.train : dataset.test;
    const label = dataset.source === 'offline-digits' ? `${request.name} (offline digits)` : request.name;
    return {
      source: `${label}/${request.split}`,
      count: split.size,
      rows: split.rows,
      cols: split.cols,
      images: ownBuffer(split.images),
      labels: Uint8Array.from(split.labels),
    } satisfies DatasetBytes;
  };
}

/**
 * IPC copies a typed array's whole underlying buffer, not just the view: give a view into a
 * larger buffer (a split of one decoded file) its own buffer so only its bytes cross.
 */
export function ownBuffer(view: Uint8Array): Uint8Array {
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? view : view.slice();
}

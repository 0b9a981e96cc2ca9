import type { NamedDatasetLoader } from './dataset-store.js';
import { DesktopError, DesktopErrorCode } from '../shared/desktop-error.js';

/** Placeholder until @scratchnet/datasets/node exposes its cache and downloads (see README). */
export const loadNamedDataset: NamedDatasetLoader = async (request) => {
  throw new DesktopError(DesktopErrorCode.DATASET_UNAVAILABLE, `${request.name} cannot be downloaded yet; use the offline digits or pick IDX files`);
};

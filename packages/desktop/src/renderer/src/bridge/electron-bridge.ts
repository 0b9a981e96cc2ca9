import type { IpcResult, PreloadApi, ScratchnetBridge } from '../../../shared/bridge-api.js';
import { RemoteError } from '../../../shared/error-envelope.js';

/** Unwraps the preload's envelopes into plain promises that reject with the original error's namespace, code and hint. */
export function createElectronBridge(api: PreloadApi): ScratchnetBridge {
  return {
    loadDataset: (request) => api.loadDataset(request).then(unwrap),
    pickDatasetFiles: () => api.pickDatasetFiles().then(unwrap),
    pickDatasetFolder: () => api.pickDatasetFolder().then(unwrap),
    openCheckpoint: () => api.openCheckpoint().then(unwrap),
    saveCheckpoint: (request) => api.saveCheckpoint(request).then(unwrap),
    onDatasetProgress: (listener) => api.onDatasetProgress(listener),
    loadHandwriting: () => api.loadHandwriting().then(unwrap),
    saveHandwriting: (splits) => api.saveHandwriting(splits).then(unwrap),
  };
}

export function unwrap<T>(result: IpcResult<T>): T {
  if (result.ok) return result.value;
  throw new RemoteError(result.error);
}

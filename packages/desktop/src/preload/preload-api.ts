import { type DatasetProgress, IpcChannel, type PreloadApi } from '../shared/bridge-api.js';

/** The parts of Electron's `ipcRenderer` the bridge uses (a fake stands in for it in tests). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<any>;
  on(channel: string, listener: (event: unknown, ...args: any[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: any[]) => void): unknown;
}

/**
 * Builds the object exposed as `window.scratchnet`: one function per IPC message. The raw
 * `ipcRenderer` is never exposed, so the page cannot send on arbitrary channels, and event
 * listeners receive only the payload, not Electron's event object.
 */
export function createPreloadApi(ipc: IpcRendererLike): PreloadApi {
  return {
    loadDataset: (request) => ipc.invoke(IpcChannel.loadDataset, request),
    pickDatasetFiles: () => ipc.invoke(IpcChannel.pickDatasetFiles),
    pickDatasetFolder: () => ipc.invoke(IpcChannel.pickDatasetFolder),
    openCheckpoint: () => ipc.invoke(IpcChannel.openCheckpoint),
    saveCheckpoint: (request) => ipc.invoke(IpcChannel.saveCheckpoint, request),
    loadHandwriting: () => ipc.invoke(IpcChannel.loadHandwriting),
    saveHandwriting: (splits) => ipc.invoke(IpcChannel.saveHandwriting, splits),
    onDatasetProgress(listener) {
      const relay = (_event: unknown, progress: DatasetProgress) => listener(progress);
      ipc.on(IpcChannel.datasetProgress, relay);
      return () => {
        ipc.removeListener(IpcChannel.datasetProgress, relay);
      };
    },
  };
}

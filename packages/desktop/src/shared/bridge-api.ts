/**
 * The contract between the renderer and whatever hosts it: the Electron preload (through IPC to
 * the main process) or the web bridge (browser APIs only). Shared by main, preload and renderer,
 * so it holds types and constants only — nothing that needs Node or the DOM.
 */

import type { HandwritingSplits, StoredHandwriting } from './handwriting-files.js';

export type { DigitSet, HandwritingSplits, StoredHandwriting } from './handwriting-files.js';

/** Data sets the host can fetch and cache. The offline digits ship with the renderer itself. */
export const DATASET_NAMES = ['mnist', 'fashion-mnist', 'kmnist'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];
export const DATASET_SPLITS = ['train', 'test'] as const;
export type DatasetSplit = (typeof DATASET_SPLITS)[number];

/** One split of an image data set as bytes: `count` images of rows×cols pixels, 0–255, row-major. */
export interface DatasetBytes {
  /** Where it came from, for display ("mnist/train", a file name, …). */
  source: string;
  count: number;
  rows: number;
  cols: number;
  images: Uint8Array;
  labels: Uint8Array;
}

/** A data set the user picked (a folder of class folders of images, or a CSV): both splits and the class names from the data. */
export interface PickedDataset {
  /** The folder or file name, for display. */
  label: string;
  classNames: string[];
  train: DatasetBytes;
  test: DatasetBytes;
  /** Files skipped while loading: not images, or images that could not be decoded. */
  skipped: { nonImages: number; unreadable: number };
}

export interface LoadDatasetRequest {
  name: DatasetName;
  split: DatasetSplit;
}

/** A checkpoint file's bytes and the name to show for it. */
export interface CheckpointFile {
  name: string;
  bytes: Uint8Array;
}

export interface SaveCheckpointRequest {
  /** File name the save dialog proposes, e.g. "digits-784-16-16-10.safetensors". */
  suggestedName: string;
  bytes: Uint8Array;
}

/** Where a checkpoint was saved (a path in Electron, the download's file name on the web). */
export interface SavedCheckpoint {
  name: string;
}

export interface DatasetProgress {
  source: string;
  receivedBytes: number;
  /** Null when the server did not say. */
  totalBytes: number | null;
}

/**
 * The functions the renderer may call on its host: one per IPC message. Each returns a promise;
 * `null` means the user cancelled a dialog. `on…` subscribes and returns an unsubscribe function.
 */
export interface ScratchnetBridge {
  /** Downloads (once, then from the cache) and returns one split of a named data set. */
  loadDataset(request: LoadDatasetRequest): Promise<DatasetBytes>;
  /** Lets the user pick an IDX images file and its labels file (optionally .gz). */
  pickDatasetFiles(): Promise<DatasetBytes | null>;
  /** Lets the user pick a folder of class folders of PNG/JPEG images, or a CSV (label + pixel columns); 28×28 greyscale. */
  pickDatasetFolder(): Promise<PickedDataset | null>;
  /** Lets the user pick a checkpoint; checked to be a readable scratchnet checkpoint before it is returned. */
  openCheckpoint(): Promise<CheckpointFile | null>;
  /** Lets the user choose where to save checkpoint bytes; written atomically. */
  saveCheckpoint(request: SaveCheckpointRequest): Promise<SavedCheckpoint | null>;
  /** Download progress while `loadDataset` fetches a data set. */
  onDatasetProgress(listener: (progress: DatasetProgress) => void): () => void;
  /** The user's own labelled drawings ("Teach it your handwriting"); empty sets when there are none yet. */
  loadHandwriting(): Promise<StoredHandwriting>;
  /** Replaces the stored drawings (the four IDX files, each written atomically); resolves with where they are. */
  saveHandwriting(splits: HandwritingSplits): Promise<{ location: string }>;
}

/** Exactly the names the preload exposes on `window.scratchnet`; the security test holds it to this. */
export const BRIDGE_METHODS = [
  'loadDataset',
  'pickDatasetFiles',
  'pickDatasetFolder',
  'openCheckpoint',
  'saveCheckpoint',
  'onDatasetProgress',
  'loadHandwriting',
  'saveHandwriting',
] as const satisfies readonly (keyof PreloadApi)[];

/** The global name the preload exposes the bridge under. */
export const BRIDGE_GLOBAL = 'scratchnet';

/** IPC channels: one per bridge method (invoke) plus one event channel. */
export const IpcChannel = {
  loadDataset: 'dataset:load',
  pickDatasetFiles: 'dataset:pick-files',
  pickDatasetFolder: 'dataset:pick-folder',
  openCheckpoint: 'checkpoint:open',
  saveCheckpoint: 'checkpoint:save',
  datasetProgress: 'dataset:progress',
  loadHandwriting: 'handwriting:load',
  saveHandwriting: 'handwriting:save',
} as const;
export type IpcChannel = (typeof IpcChannel)[keyof typeof IpcChannel];

/**
 * Handlers answer with an envelope instead of throwing, because Electron flattens a thrown error
 * into a string; this way the renderer gets the typed `code` back.
 */
/** `error.code` is namespaced as in core's error table ('dataset/NOT_A_FILE'); `hint` says what to do. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; hint?: string } };

/** A bridge method as the preload exposes it: same arguments, the answer wrapped in an `IpcResult`. */
type Enveloped<F> = F extends (...args: infer A) => Promise<infer R> ? (...args: A) => Promise<IpcResult<R>> : never;

/**
 * What the preload puts on `window.scratchnet`. Errors cannot cross the context bridge with their
 * class and code intact, so invoke-style methods resolve to envelopes; the renderer's
 * `createElectronBridge` unwraps them into the `ScratchnetBridge` the app uses.
 */
export type PreloadApi = {
  [K in Exclude<keyof ScratchnetBridge, 'onDatasetProgress'>]: Enveloped<ScratchnetBridge[K]>;
} & Pick<ScratchnetBridge, 'onDatasetProgress'>;

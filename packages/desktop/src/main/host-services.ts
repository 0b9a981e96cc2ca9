import type {
  CheckpointFile,
  DatasetBytes,
  DatasetProgress,
  LoadDatasetRequest,
  HandwritingSplits,
  PickedDataset,
  SavedCheckpoint,
  StoredHandwriting,
} from '../shared/bridge-api.js';

/** Native dialogs, behind an interface so handlers can be tested without Electron. */
export interface DialogService {
  /** A checkpoint path to open, or null when cancelled. */
  chooseCheckpointToOpen(): Promise<string | null>;
  /** Where to save a checkpoint, or null when cancelled. */
  chooseCheckpointSavePath(suggestedName: string): Promise<string | null>;
  /** IDX files (images and labels) to load, or null when cancelled. */
  chooseDatasetFiles(): Promise<string[] | null>;
  /** A folder of class folders of images, or a CSV file, or null when cancelled. */
  chooseDatasetFolder(): Promise<string | null>;
}

/** Checkpoint files on disk. */
export interface CheckpointStore {
  /** Reads and validates a checkpoint; throws a typed error for anything unreadable. */
  read(path: string): Promise<CheckpointFile>;
  /** Validates and writes atomically (a crash leaves the old file or the new one, never half). */
  write(path: string, bytes: Uint8Array): Promise<SavedCheckpoint>;
}

/** Image data sets: named ones through the download cache, or IDX files the user picked. */
export interface DatasetStore {
  load(request: LoadDatasetRequest, onProgress: (progress: DatasetProgress) => void): Promise<DatasetBytes>;
  readFiles(paths: string[]): Promise<DatasetBytes>;
  /** An image folder or CSV, loaded and checked here in the main process. */
  readFolder(path: string): Promise<PickedDataset>;
}

/** The user's labelled drawings, as IDX files in the app's data folder. */
export interface HandwritingStore {
  load(): Promise<StoredHandwriting>;
  save(splits: HandwritingSplits): Promise<{ location: string }>;
}

/** Everything the IPC handlers need from the outside world. */
export interface HostServices {
  dialogs: DialogService;
  checkpoints: CheckpointStore;
  datasets: DatasetStore;
  handwriting: HandwritingStore;
}

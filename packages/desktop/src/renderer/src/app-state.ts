import type { ScratchnetBridge } from '../../shared/bridge-api.js';
import type { HostKind } from './bridge/host-bridge.js';
import type { LoadedDataset } from './data/dataset-catalog.js';
import type { ModelSnapshot } from './model/model-snapshot.js';
import { Predictor } from './model/predictor.js';
import type { TrainingClient } from './training/training-client.js';

type Listener = () => void;

/**
 * What the three screens share: the host bridge, the training worker, the current model (and a
 * predictor built from it) and the most recently loaded data set. Screens subscribe to changes.
 */
export class AppState {
  private modelSnapshot: ModelSnapshot | null = null;
  private modelPredictor: Predictor | null = null;
  private loaded: LoadedDataset | null = null;
  private readonly modelListeners = new Set<Listener>();
  private readonly datasetListeners = new Set<Listener>();
  /** Where the current model came from, for display ("trained here", a file name). */
  modelOrigin = '';

  constructor(
    readonly host: HostKind,
    readonly bridge: ScratchnetBridge,
    readonly training: TrainingClient,
  ) {}

  get model(): ModelSnapshot | null {
    return this.modelSnapshot;
  }

  get predictor(): Predictor | null {
    return this.modelPredictor;
  }

  get dataset(): LoadedDataset | null {
    return this.loaded;
  }

  /** Replaces the current model (builds a predictor for it) and notifies the screens. */
  setModel(snapshot: ModelSnapshot, origin: string): void {
    const previous = this.modelPredictor;
    this.modelPredictor = new Predictor(snapshot);
    previous?.dispose();
    this.modelSnapshot = snapshot;
    this.modelOrigin = origin;
    for (const listener of this.modelListeners) listener();
  }

  setDataset(dataset: LoadedDataset): void {
    this.loaded = dataset;
    for (const listener of this.datasetListeners) listener();
  }

  onModelChange(listener: Listener): () => void {
    this.modelListeners.add(listener);
    return () => this.modelListeners.delete(listener);
  }

  onDatasetChange(listener: Listener): () => void {
    this.datasetListeners.add(listener);
    return () => this.datasetListeners.delete(listener);
  }
}

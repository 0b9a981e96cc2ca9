import { modelInputShape, summarizeModel } from '@scratchnet/core';
import type { AppState } from '../app-state.js';
import { IMAGE_SHAPE } from '../data/dataset-catalog.js';
import type { ModelSnapshot } from '../model/model-snapshot.js';
import type { LayerStatsReport, ParameterHistograms } from '../training/layer-histograms.js';

/** One weight tensor to show, and where it came from. */
export interface ShownWeights {
  name: string;
  shape: readonly number[];
  data: Float32Array;
  /** Epochs done when it was taken (fractional inside an epoch), or null for a loaded model. */
  epoch: number | null;
}

/** The histograms of one report, with the epoch it was taken at. */
export interface HistogramPoint {
  epoch: number;
  histograms: ParameterHistograms[];
}

/** At most this many histogram reports are kept per run: older ones are thinned to every other. */
export const MAX_HISTORY = 240;

type Listener = () => void;

/** One view of the Network screen: its element, and `refresh()`, called when it is shown (hidden views compute nothing). */
export interface NetworkPanel {
  readonly element: HTMLElement;
  refresh(): void;
}

/**
 * What the Network views share: the training worker's `layer-stats` reports of the current run
 * (the first one is the untrained network), the newest first-layer weights (from a report or the
 * current model, whichever came last), the digit drawn on the Activations pad, and the layer picked in the diagram.
 */
export class NetworkState {
  private runId = -1;
  /** Histograms over the current run, oldest first. */
  history: HistogramPoint[] = [];
  /** The first layer's weights when the current run started (null before any run). */
  startWeights: ShownWeights | null = null;
  /** The newest first-layer weights. */
  weights: ShownWeights | null = null;
  /** The drawing on the Activations pad as the network sees it (null: nothing drawn). */
  input: Float32Array | null = null;
  /** Index of the layer picked in the diagram (-1: none). */
  selectedLayer = -1;
  private readonly listeners = { weights: new Set<Listener>(), histograms: new Set<Listener>(), input: new Set<Listener>(), layer: new Set<Listener>() };

  constructor(private readonly app: AppState) {
    app.training.onRunEvent((event) => {
      if (event.type === 'layer-stats') this.receive(event.runId, event);
    });
    app.onModelChange(() => {
      const model = app.model;
      this.weights = model ? firstLayerWeights(model) : null;
      if (this.selectedLayer >= (model?.spec.layers.length ?? 0)) this.selectedLayer = -1;
      this.emit('weights');
      this.emit('layer');
    });
    this.weights = app.model ? firstLayerWeights(app.model) : null;
  }

  on(kind: keyof NetworkState['listeners'], listener: Listener): () => void {
    this.listeners[kind].add(listener);
    return () => this.listeners[kind].delete(listener);
  }

  setInput(input: Float32Array | null): void {
    this.input = input;
    this.emit('input');
  }

  selectLayer(index: number): void {
    this.selectedLayer = index;
    this.emit('layer');
  }

  /** The image shape a flat first layer's inputs have: the model's own, or the data set's images when the sizes match. */
  imageShape(inputs: number): readonly number[] {
    const model = this.app.model;
    const input = model ? modelInputShape(model.spec) : [inputs];
    if (input.length >= 2 && input.reduce((a, b) => a * b, 1) === inputs) return input;
    const data = this.app.dataset?.train;
    if (data && data.rows * data.cols === inputs) return [1, data.rows, data.cols];
    if (IMAGE_SHAPE.reduce((a, b) => a * b, 1) === inputs) return IMAGE_SHAPE;
    return [1, 1, inputs];
  }

  private receive(runId: number, report: LayerStatsReport): void {
    if (runId !== this.runId) {
      this.runId = runId;
      this.history = [];
      this.startWeights = null;
    }
    if (report.firstLayer) {
      const weights = { ...report.firstLayer, epoch: report.epoch };
      if (!this.startWeights) this.startWeights = weights;
      this.weights = weights;
      this.emit('weights');
    }
    this.history.push({ epoch: report.epoch, histograms: report.histograms });
    if (this.history.length > MAX_HISTORY) this.history = this.history.filter((_, i) => i % 2 === 0 || i === this.history.length - 1);
    this.emit('histograms');
  }

  private emit(kind: keyof NetworkState['listeners']): void {
    for (const listener of this.listeners[kind]) listener();
  }
}

/** The first dense or conv2d layer's weight of a model snapshot (names from core's summary). */
export function firstLayerWeights(model: ModelSnapshot): ShownWeights | null {
  const layer = summarizeModel(model.spec).find((l) => l.spec.type === 'dense' || l.spec.type === 'conv2d');
  const name = layer?.parameters.find((p) => p.name.endsWith('.weight'))?.name;
  const tensor = model.tensors.find((t) => t.name === name);
  return tensor ? { name: tensor.name, shape: tensor.shape, data: tensor.data, epoch: model.training?.epochs ?? null } : null;
}

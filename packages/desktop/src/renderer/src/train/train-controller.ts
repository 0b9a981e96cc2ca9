import { fitArchToData } from '@scratchnet/core';
import type { DatasetBytes } from '../../../shared/bridge-api.js';
import type { AppState } from '../app-state.js';
import { type DatasetChoice, splitValidation } from '../data/dataset-catalog.js';
import { loadDatasetChoice } from '../data/load-dataset.js';
import { canResume } from '../training/resume.js';
import { DEFAULT_VAL_SPLIT } from './run-settings.js';
import type { TrainConfig, WorkerEvent } from '../training/worker-protocol.js';

/**
 * Progress redraws the page at most this often (ms). The worker reports a short epoch every two
 * batches; redrawing charts and stats for each took the page's thread 120–200 ms of CPU per
 * 0.2-s epoch in Chromium, most of it layout and paint, which on 2 cores is taken from the
 * training threads. Every point is still kept; other events redraw at once.
 */
export const PROGRESS_REDRAW_MS = 250;

export type TrainStatus = 'idle' | 'loading' | 'running' | 'paused' | 'finished' | 'stopped' | 'failed';

/** Chart series, aligned on `x` (epochs, fractional inside an epoch); null where a series has no point. */
export interface TrainHistory {
  x: number[];
  trainLoss: Array<number | null>;
  trainAccuracy: Array<number | null>;
  validationLoss: Array<number | null>;
  validationAccuracy: Array<number | null>;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  step: number;
  totalSteps: number;
  samplesPerSecond: number;
  etaSeconds: number;
  parameterCount: number;
  backend: string;
  /** Threads the kernels run on. */
  threads: number;
  /** Threads the run asked for (more than `threads` when the pool's workers could not start). */
  requestedThreads: number;
  /** Training images per second over the whole finished run (0 while it runs). */
  meanSamplesPerSecond: number;
  lastValidationAccuracy: number | null;
  /** Validation accuracy before the first step. */
  baselineValidationAccuracy: number;
}

/**
 * Owns the training run the screens share: loads the data, starts the worker, turns its events
 * into chart series and progress, and hands each epoch's weights to the app so drawing uses the
 * newest model while training continues.
 */
export class TrainController {
  status: TrainStatus = 'idle';
  message = '';
  history: TrainHistory = emptyHistory();
  progress: TrainProgress | null = null;
  private runId = 0;
  private config: TrainConfig | null = null;
  private threads = 1;
  /** The current run continues an earlier one exactly (its chart starts with the earlier epochs). */
  private resuming = false;
  private readonly listeners = new Set<() => void>();
  private lastRedraw = Number.NEGATIVE_INFINITY;
  private redrawTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly app: AppState) {
    app.training.onRunEvent((event) => this.receive(event));
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get busy(): boolean {
    return this.status === 'loading' || this.status === 'running' || this.status === 'paused';
  }

  /** Loads the chosen data set and starts training; `continueFromCurrent` starts from the current model's weights. */
  async start(config: TrainConfig, choice: DatasetChoice, continueFromCurrent = false, threads = 1): Promise<void> {
    if (this.busy) return;
    this.setStatus('loading', 'Loading data…');
    // The first time, MNIST and Fashion-MNIST are downloaded (in the main process): say how far along.
    const stopListening = this.app.bridge.onDatasetProgress((p) => {
      const done = p.totalBytes ? ` ${Math.round((p.receivedBytes / p.totalBytes) * 100)}%` : ` ${(p.receivedBytes / 1e6).toFixed(1)} MB`;
      this.setStatus('loading', `Downloading ${p.source}…${done}`);
    });
    try {
      const reuse = choice === this.app.dataset?.choice && choice !== 'files';
      const dataset = reuse ? this.app.dataset : await loadDatasetChoice(choice, this.app.bridge).finally(stopListening);
      if (reuse) stopListening();
      if (!dataset) {
        this.setStatus('idle', 'No files picked.');
        return;
      }
      this.app.setDataset(dataset);
      const { train, validation } = splitForRun(dataset.train, config.valSplit ?? DEFAULT_VAL_SPLIT, config.seed);
      const initial = continueFromCurrent ? (this.app.model ?? undefined) : undefined;
      // A picked folder of images: the model's input and output follow it (its class count), as
      // the CLI fits --arch to a --data-dir folder.
      if (choice === 'folder' && !initial) {
        config = { ...config, architecture: fitArchToData(config.architecture, { shape: [1, train.rows, train.cols], classCount: dataset.classNames.length }) };
      }
      // Same seed, batch size and data as the run that made the model: pick up exactly where it stopped.
      this.resuming = canResume(initial, config, train.count);
      this.history = emptyHistory();
      if (this.resuming) {
        // The record's rows are core's EpochRecord whichever app wrote them: epoch 0-based, accuracy per epoch.
        for (const row of initial?.training?.history ?? []) {
          this.push(row.epoch + 1, null, row.accuracy ?? null, row.valLoss ?? null, row.valAccuracy ?? null);
        }
      }
      this.progress = null;
      this.config = config;
      this.runId = this.app.training.train({
        config,
        datasetLabel: dataset.label,
        datasetName: dataset.choice,
        // Picked files come without class names: continuing a model, its own names (and count) apply.
        classNames: choice === 'files' && initial ? initial.classNames : dataset.classNames,
        train,
        validation,
        initial,
        resume: this.resuming,
        threads,
      });
      this.threads = threads;
      const from = this.resuming ? ` from epoch ${initial!.trainer!.epoch + 1}${initial!.trainer!.batch ? `, batch ${initial!.trainer!.batch + 1}` : ''}` : '';
      this.setStatus('running', `Training on ${dataset.label}${from}…`);
    } catch (error) {
      this.setStatus('failed', error instanceof Error ? error.message : String(error));
    }
  }

  pause(): void {
    if (this.status === 'running') this.app.training.pause(this.runId);
  }

  resume(): void {
    if (this.status === 'paused') this.app.training.resume(this.runId);
  }

  stop(): void {
    if (this.status === 'running' || this.status === 'paused') this.app.training.stop(this.runId);
  }

  private receive(event: Extract<WorkerEvent, { runId: number }>): void {
    if (event.runId !== this.runId) return;
    const epochs = this.config?.epochs ?? 0;
    switch (event.type) {
      case 'started':
        this.progress = {
          epoch: 0,
          epochs,
          step: 0,
          totalSteps: event.totalSteps,
          samplesPerSecond: 0,
          etaSeconds: Number.POSITIVE_INFINITY,
          parameterCount: event.parameterCount,
          backend: event.backend,
          threads: event.threads,
          requestedThreads: this.threads,
          meanSamplesPerSecond: 0,
          lastValidationAccuracy: null,
          baselineValidationAccuracy: event.baselineValidationAccuracy,
        };
        if (!this.resuming) this.push(0, null, null, event.baselineValidationLoss, event.baselineValidationAccuracy);
        break;
      case 'progress':
        this.push(event.epoch, event.trainLoss, null, null, null);
        if (this.progress) Object.assign(this.progress, { epoch: event.epoch, step: event.step, samplesPerSecond: event.samplesPerSecond, etaSeconds: event.etaSeconds });
        this.changedSoon();
        return;
      case 'epoch':
        // Train loss comes from the windowed progress points; the epoch mean (lagging, averaged over
        // changing weights) would make the curve jump. Accuracy is only known per epoch.
        this.push(event.epoch, null, event.trainAccuracy, event.validationLoss, event.validationAccuracy);
        if (this.progress) Object.assign(this.progress, { epoch: event.epoch, lastValidationAccuracy: event.validationAccuracy });
        this.app.setModel(event.snapshot, `trained here (epoch ${event.epoch})`);
        this.message = Number.isFinite(event.validationAccuracy)
          ? `Epoch ${event.epoch} of ${epochs}: validation accuracy ${(event.validationAccuracy * 100).toFixed(1)}%`
          : `Epoch ${event.epoch} of ${epochs}: training accuracy ${(event.trainAccuracy * 100).toFixed(1)}% (nothing held out for validation)`;
        break;
      case 'paused':
        this.setStatus('paused', 'Paused.');
        return;
      case 'resumed':
        this.setStatus('running', 'Training…');
        return;
      case 'finished': {
        // A run stopped inside its first epoch still has partly trained weights and a trainer
        // state to continue from, so it becomes the current model too.
        if (event.snapshot.training?.epochs || event.snapshot.trainer) this.app.setModel(event.snapshot, 'trained here');
        const accuracy = event.snapshot.training?.finalMetrics.val_accuracy;
        const summary = accuracy != null ? ` Validation accuracy ${(accuracy * 100).toFixed(1)}%.` : '';
        if (this.progress) {
          this.progress.etaSeconds = 0;
          this.progress.meanSamplesPerSecond = event.meanSamplesPerSecond;
          if (event.reason === 'completed') this.progress.step = this.progress.totalSteps;
        }
        this.setStatus(event.reason === 'completed' ? 'finished' : 'stopped', (event.reason === 'completed' ? 'Done.' : 'Stopped.') + summary);
        return;
      }
      case 'failed':
        this.setStatus('failed', `${event.message} (${event.code})`);
        return;
    }
    this.changed();
  }

  private push(x: number, trainLoss: number | null, trainAccuracy: number | null, validationLoss: number | null, validationAccuracy: number | null): void {
    // Charts take null for "no point here"; a NaN would break the axis range.
    const point = (v: number | null) => (v !== null && Number.isFinite(v) ? v : null);
    const h = this.history;
    h.x.push(x);
    h.trainLoss.push(point(trainLoss));
    h.trainAccuracy.push(point(trainAccuracy));
    h.validationLoss.push(point(validationLoss));
    h.validationAccuracy.push(point(validationAccuracy));
  }

  private setStatus(status: TrainStatus, message: string): void {
    this.status = status;
    this.message = message;
    this.changed();
  }

  private changed(): void {
    if (this.redrawTimer !== null) clearTimeout(this.redrawTimer);
    this.redrawTimer = null;
    this.lastRedraw = performance.now();
    for (const listener of this.listeners) listener();
  }

  /** `changed()` now if the last redraw is PROGRESS_REDRAW_MS old, else once when it is. */
  private changedSoon(): void {
    if (this.redrawTimer !== null) return;
    const wait = this.lastRedraw + PROGRESS_REDRAW_MS - performance.now();
    if (wait <= 0) this.changed();
    else this.redrawTimer = setTimeout(() => this.changed(), wait);
  }
}

/**
 * The run's training and validation parts, split with the run's seed as the CLI splits them (so a
 * run and its `--seed` twin hold out the same images); a split of 0 holds nothing out, as `--val-split 0` does.
 */
function splitForRun(data: DatasetBytes, fraction: number, seed: number): { train: DatasetBytes; validation: DatasetBytes } {
  if (fraction > 0) return splitValidation(data, fraction, seed);
  const none = { ...data, source: `${data.source} (validation)`, count: 0, images: data.images.subarray(0, 0), labels: data.labels.subarray(0, 0) };
  return { train: data, validation: none };
}

function emptyHistory(): TrainHistory {
  return { x: [], trainLoss: [], trainAccuracy: [], validationLoss: [], validationAccuracy: [] };
}

import { toEnvelope } from '../../../shared/error-envelope.js';
import {
  type BatchEndInfo,
  buildModel,
  parseAugmentSpec,
  parseScheduleText,
  RUN_LOSS_NAMES,
  type EpochEndInfo,
  fit,
  type Sequential,
  Tensor,
  type TrainerState,
  TrainingAbortedError,
  trainLimitIndices,
} from '@scratchnet/core';
import { ImageDataset } from '@scratchnet/datasets';
import { storedEpochRecord } from '@scratchnet/model-format';
import type { DatasetBytes } from '../../../shared/bridge-api.js';
import type { EpochMetrics, ModelSnapshot } from '../model/model-snapshot.js';
import { specFromConfig } from '../model/spec-from-config.js';
import { settingsFromConfig } from '../train/run-settings.js';
import { ThroughputMeter } from './batch-metrics.js';
import { evaluateDataset } from './evaluate-dataset.js';
import { LayerStatsReporter } from './layer-histograms.js';
import { canResume } from './resume.js';
import type { TrainConfig, WorkerEvent } from './worker-protocol.js';

/** Progress is reported at least this often (ms); `fit` yields to the event loop about twice as often. */
const REPORT_INTERVAL_MS = 100;
/** …and at least this many times per epoch, so even a sub-second epoch draws a curve. */
const REPORTS_PER_EPOCH = 25;

export interface SessionInit {
  runId: number;
  config: TrainConfig;
  datasetLabel: string;
  /**
   * The data set's name as the CLI's --dataset takes it ('mnist', 'fashion-mnist'), or the app's
   * own choice ('offline-digits', 'files'): recorded so the CLI can resume the run.
   */
  datasetName?: string;
  classNames: string[];
  train: DatasetBytes;
  validation: DatasetBytes;
  initial?: ModelSnapshot;
  /**
   * Continue the interrupted run `initial` came from, exactly (same seed, batch size and data):
   * `config.epochs` is then the total to reach, counting the epochs already done.
   */
  resume?: boolean;
}


/**
 * One training run with core's `fit`, driven from the training worker: progress about every
 * 100 ms, the weights after every epoch (so the page predicts with them at once), pause by
 * holding `fit` in an awaited callback, stop through an AbortSignal. In tests it runs directly in Node.
 */
export class TrainingSession {
  private paused = false;
  private wake: (() => void) | null = null;
  private readonly abort = new AbortController();
  readonly model: Sequential;
  private history: EpochMetrics[] = [];
  private trainerState: TrainerState | undefined;

  constructor(
    private readonly init: SessionInit,
    private readonly emit: (event: WorkerEvent) => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    const { config } = init;
    this.model = init.initial
      ? modelFromSnapshot(init.initial)
      : buildModel(specFromConfig(config), { seed: config.seed });
  }

  pause(): void {
    if (this.paused || this.abort.signal.aborted) return;
    this.paused = true;
    this.emit({ type: 'paused', runId: this.init.runId });
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.emit({ type: 'resumed', runId: this.init.runId });
    this.wake?.();
  }

  stop(): void {
    this.abort.abort();
    this.paused = false;
    this.wake?.();
  }

  /** Trains for `config.epochs` epochs (or until stopped); always ends with `finished` or `failed`. */
  async run(): Promise<void> {
    const { runId, config, classNames } = this.init;
    const model = this.model;
    try {
      const all = toDataset(this.init.train, classNames);
      // --train-limit: core's seeded subset, as the CLI takes it.
      const kept = trainLimitIndices(all.size, config.trainLimit, config.seed);
      const train = kept ? all.subset(kept) : all;
      const validation = toDataset(this.init.validation, classNames);
      const batchSize = Math.max(1, Math.min(Math.round(config.batchSize), train.size));
      const stepsPerEpoch = Math.ceil(train.size / batchSize);
      const totalSteps = stepsPerEpoch * config.epochs;
      const meter = new ThroughputMeter();
      const batchesPerReport = Math.max(1, Math.floor(stepsPerEpoch / REPORTS_PER_EPOCH));
      // --val-split 0 holds nothing out: no validation curve (and early stopping watches the training loss, as in the CLI).
      const hasValidation = validation.size > 0;
      const baseline = hasValidation ? evaluateDataset(model, validation) : { loss: Number.NaN, accuracy: Number.NaN };
      this.emit({
        type: 'started',
        runId,
        parameterCount: model.parameterCount(),
        backend: model.backend.name,
        threads: model.backend.threads,
        stepsPerEpoch,
        totalSteps,
        baselineValidationLoss: baseline.loss,
        baselineValidationAccuracy: baseline.accuracy,
      });
      const stats = new LayerStatsReporter(model, (report) => this.emit({ type: 'layer-stats', runId, ...report }), this.now);
      stats.start(this.init.resume ? (this.init.initial?.trainer?.epoch ?? 0) : 0);

      let lastReport = this.now();
      let stepAtReport = 0;
      let windowLoss = 0;
      let windowBatches = 0;
      // Both callbacks first wait out a pause, so nothing is reported between 'paused' and 'resumed'.
      const onBatchEnd = async (info: BatchEndInfo) => {
        if (await this.waitWhilePaused()) {
          // Time spent paused is not training time: restart the throughput window.
          lastReport = this.now();
          stepAtReport = info.globalStep - 1;
        }
        stats.batch(info.epoch + (info.batch + 1) / info.batchesPerEpoch);
        windowLoss += info.loss;
        windowBatches++;
        const now = this.now();
        if (now - lastReport >= REPORT_INTERVAL_MS || windowBatches >= batchesPerReport) {
          meter.record((info.globalStep - stepAtReport) * batchSize, (now - lastReport) / 1000);
          this.emit({
            type: 'progress',
            runId,
            step: info.globalStep,
            totalSteps,
            epoch: info.epoch + (info.batch + 1) / info.batchesPerEpoch,
            trainLoss: windowLoss / windowBatches,
            trainAccuracy: Number.NaN, // fit reports accuracy per epoch only
            samplesPerSecond: meter.samplesPerSecond,
            etaSeconds: meter.eta((totalSteps - info.globalStep) * batchSize),
          });
          windowLoss = 0;
          windowBatches = 0;
          stepAtReport = info.globalStep;
          lastReport = now;
        }
      };
      const onEpochEnd = async (info: EpochEndInfo) => {
        await this.waitWhilePaused();
        this.trainerState = info.trainerState();
        this.history.push(storedEpochRecord(info));
        stats.epoch(info.epoch + 1);
        this.emit({
          type: 'epoch',
          runId,
          epoch: info.epoch + 1,
          trainLoss: info.loss,
          trainAccuracy: info.accuracy,
          validationLoss: info.valLoss ?? Number.NaN,
          validationAccuracy: info.valAccuracy ?? Number.NaN,
          snapshot: this.snapshot(),
        });
      };

      const resumeFrom = this.init.resume && canResume(this.init.initial, config, train.size) ? this.init.initial!.trainer : undefined;
      if (resumeFrom) this.history = (this.init.initial?.training?.history ?? []).map((row) => ({ ...row }));
      let reason: 'completed' | 'stopped' = 'completed';
      const fitStarted = this.now();
      let samplesTrained = 0;
      const countSamples = (info: BatchEndInfo) => {
        samplesTrained += Math.min(batchSize, train.size - info.batch * batchSize);
      };
      try {
        await fit(model, train, {
          epochs: config.epochs,
          batchSize,
          loss: RUN_LOSS_NAMES[config.loss ?? 'ce'],
          optimizer: { type: config.optimizer, lr: config.learningRate, momentum: config.momentum, weightDecay: config.weightDecay },
          schedule: parseScheduleText(config.schedule ?? 'constant'),
          augment: parseAugmentSpec(config.augment ?? 'off') ?? undefined,
          seed: config.seed,
          validation: hasValidation ? validation : undefined,
          signal: this.abort.signal,
          yieldEveryMs: REPORT_INTERVAL_MS / 2,
          earlyStopping: config.earlyStopping ? { patience: config.earlyStopping } : undefined,
          callbacks: {
            onBatchEnd: (info) => {
              countSamples(info);
              return onBatchEnd(info);
            },
            onEpochEnd,
          },
          resumeFrom,
        });
      } catch (error) {
        if (!this.abort.signal.aborted) throw error;
        // The state at the batch where it stopped: "continue" resumes from exactly there.
        if (error instanceof TrainingAbortedError) this.trainerState = error.state;
        reason = 'stopped';
      }
      const seconds = (this.now() - fitStarted) / 1000;
      this.emit({ type: 'finished', runId, reason, snapshot: this.snapshot(), meanSamplesPerSecond: seconds > 0 ? samplesTrained / seconds : 0 });
    } catch (error) {
      const { code, message, hint } = toEnvelope(error);
      this.emit({ type: 'failed', runId, code, message: hint ? `${message} — ${hint}` : message });
    } finally {
      // Snapshots are copies; the model's buffers go back to the backend (WebAssembly memory is
      // not garbage-collected, so a run that kept them would leak for the worker's lifetime).
      model.dispose();
    }
  }

  /** Resolves when not paused (true if it had to wait). */
  private async waitWhilePaused(): Promise<boolean> {
    const waited = this.paused;
    while (this.paused && !this.abort.signal.aborted) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
    }
    return waited;
  }

  /** A copy of the current weights (and batch-norm statistics) with the training record so far. */
  snapshot(): ModelSnapshot {
    const { config, classNames, datasetLabel } = this.init;
    const last = this.history.at(-1);
    // The CLI's names (core's TrainingHyperparameters), so `scratchnet-cli train --resume` continues it.
    const settings = settingsFromConfig(config, this.init.datasetName);
    return {
      spec: this.model.spec,
      tensors: [...this.model.stateDict()].map(([name, t]) => ({ name, shape: [...t.shape], data: t.data })),
      classNames: [...classNames],
      trainer: this.trainerState,
      training: {
        dataset: {
          name: this.init.datasetName ?? datasetLabel,
          label: datasetLabel,
          train: this.init.train.count,
          validation: this.init.validation.count,
          valSplit: settings.valSplit,
        },
        hyperparameters: settings,
        seed: config.seed,
        epochs: this.history.length,
        history: this.history.map((row) => ({ ...row })),
        finalMetrics: {
          loss: last?.loss ?? null,
          accuracy: last?.accuracy ?? null,
          val_loss: last?.valLoss ?? null,
          val_accuracy: last?.valAccuracy ?? null,
        },
      },
    };
  }
}

/** Bytes → core Dataset (pixels scaled to [0, 1] as the model sees them). */
export function toDataset(bytes: DatasetBytes, classNames: readonly string[]): ImageDataset {
  return new ImageDataset({ images: bytes.images, labels: bytes.labels, rows: bytes.rows, cols: bytes.cols, classNames, name: bytes.source });
}

export function modelFromSnapshot(snapshot: ModelSnapshot): Sequential {
  const model = buildModel(snapshot.spec);
  model.loadStateDict(new Map(snapshot.tensors.map((t) => [t.name, new Tensor(t.shape, t.data)])));
  return model;
}

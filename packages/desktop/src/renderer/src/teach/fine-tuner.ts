import type { AppState } from '../app-state.js';
import { DIGIT_CLASSES, IMAGE_SHAPE } from '../data/dataset-catalog.js';
import { loadOfflineDigits } from '../data/offline-digits.js';
import { acceptsImages } from '../model/model-snapshot.js';
import type { WorkerEvent } from '../training/worker-protocol.js';
import { digitSetBytes, FINE_TUNE, fineTuneConfig, mixForFineTune } from './fine-tune-data.js';
import type { HandwritingSet } from './handwriting-set.js';

export type FineTuneStatus = 'idle' | 'running' | 'done' | 'stopped' | 'failed';

/** Where a fine-tune stands; accuracies are on the held-out drawings, in [0, 1]. */
export interface FineTuneState {
  status: FineTuneStatus;
  message: string;
  /** The model before fine-tuning, on the held-out drawings. */
  before: number | null;
  /** After the latest finished epoch (and, once done, after the last). */
  after: number | null;
  epoch: number;
  /** Share of the run's steps done, 0–1. */
  progress: number;
  heldOutCount: number;
}

/**
 * Fine-tunes the current model on the user's training drawings mixed with the offline digits,
 * in the training worker (the same TrainingSession as the Train screen, so the page stays
 * responsive), with the held-out drawings as the validation set: the run's baseline is the
 * accuracy before, each epoch's validation accuracy the accuracy after. The result becomes the
 * app's model, so the Draw screen reads with it at once.
 */
export class FineTuner {
  state: FineTuneState = { status: 'idle', message: '', before: null, after: null, epoch: 0, progress: 0, heldOutCount: 0 };
  private runId = -1;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly app: AppState) {
    app.training.onRunEvent((event) => this.receive(event));
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get busy(): boolean {
    return this.state.status === 'running';
  }

  /** Why fine-tuning cannot start now, or null when it can. */
  blocker(set: HandwritingSet): string | null {
    const model = this.app.model;
    if (!model) return 'Train or load a model first (the Draw and Train screens).';
    // Fashion-MNIST models also have ten classes: the names say whether they are the digits.
    const digits = model.classNames.length === 10 && model.classNames.every((name, i) => name === DIGIT_CLASSES[i]);
    if (!acceptsImages(model.spec, IMAGE_SHAPE) || !digits) return 'The current model does not read 28×28 digits 0–9: train or load a digits model first.';
    if (set.training.length === 0) return 'Draw and label a few digits first.';
    if (set.heldOut.length === 0) return `Draw at least ${5 - set.size} more: every 5th drawing is kept back to measure the model.`;
    return null;
  }

  async start(set: HandwritingSet): Promise<void> {
    if (this.busy) return;
    const blocker = this.blocker(set);
    const model = this.app.model;
    if (blocker || !model) {
      this.update({ status: 'failed', message: blocker ?? 'No model' });
      return;
    }
    const { train: drawings, heldOut } = set.toSplits();
    this.update({ status: 'running', message: 'Loading the offline digits…', before: null, after: null, epoch: 0, progress: 0, heldOutCount: heldOut.count });
    try {
      const base = (await loadOfflineDigits()).train;
      const mix = mixForFineTune(drawings, base);
      this.runId = this.app.training.train({
        config: fineTuneConfig(model),
        datasetLabel: 'your handwriting + offline digits',
        datasetName: 'handwriting',
        classNames: DIGIT_CLASSES,
        train: mix,
        validation: digitSetBytes(heldOut, 'your held-out drawings'),
        initial: model,
      });
      this.update({ message: `Fine-tuning on ${drawings.count} drawings (${mix.source})…` });
    } catch (error) {
      this.update({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  }

  stop(): void {
    if (this.busy) this.app.training.stop(this.runId);
  }

  private receive(event: Extract<WorkerEvent, { runId: number }>): void {
    if (event.runId !== this.runId) return;
    switch (event.type) {
      case 'started':
        this.update({ before: event.baselineValidationAccuracy, message: `Fine-tuning: epoch 1 of ${FINE_TUNE.epochs}…` });
        break;
      case 'progress':
        this.update({ progress: event.step / event.totalSteps });
        break;
      case 'epoch':
        this.update({ after: event.validationAccuracy, epoch: event.epoch, message: `Fine-tuning: epoch ${Math.min(event.epoch + 1, FINE_TUNE.epochs)} of ${FINE_TUNE.epochs}…` });
        break;
      case 'finished': {
        const after = event.snapshot.training?.finalMetrics.val_accuracy ?? this.state.after;
        if (event.snapshot.training?.epochs) this.app.setModel(event.snapshot, 'fine-tuned on your handwriting');
        this.update({ status: event.reason === 'completed' ? 'done' : 'stopped', after, progress: event.reason === 'completed' ? 1 : this.state.progress, message: event.reason === 'completed' ? 'Done: the Draw screen now uses the fine-tuned model.' : 'Stopped.' });
        break;
      }
      case 'failed':
        this.update({ status: 'failed', message: `${event.message} (${event.code})` });
        break;
    }
  }

  private update(patch: Partial<FineTuneState>): void {
    Object.assign(this.state, patch);
    for (const listener of this.listeners) listener();
  }
}

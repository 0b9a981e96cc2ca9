import type { DatasetBytes } from '../../../shared/bridge-api.js';
import { RemoteError } from '../../../shared/error-envelope.js';
import type { ModelSnapshot } from '../model/model-snapshot.js';
import type { TrainConfig, WorkerEvent, WorkerRequest } from './worker-protocol.js';

export interface Evaluation {
  loss: number;
  accuracy: number;
  predictions: Uint8Array;
  probabilities: Float32Array;
}

type RunListener = (event: Extract<WorkerEvent, { runId: number }>) => void;

/** The page's handle on the training worker: start/pause/resume/stop runs and evaluate data sets. */
export class TrainingClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly runListeners = new Set<RunListener>();
  private readonly pending = new Map<number, { resolve: (e: Evaluation) => void; reject: (e: Error) => void }>();
  private currentRun = 0;

  constructor() {
    this.worker = new Worker(new URL('./training-worker.ts', import.meta.url), { type: 'module', name: 'scratchnet-training' });
    this.worker.onmessage = (message: MessageEvent<WorkerEvent>) => this.receive(message.data);
    this.worker.onerror = (event) => {
      for (const listener of this.runListeners) listener({ type: 'failed', runId: this.currentRun, code: 'desktop/INTERNAL', message: event.message || 'The training worker crashed' });
    };
  }

  /** Subscribes to run events; returns an unsubscribe function. */
  onRunEvent(listener: RunListener): () => void {
    this.runListeners.add(listener);
    return () => this.runListeners.delete(listener);
  }

  /** Starts a run (stopping any current one) and returns its id. */
  train(init: {
    config: TrainConfig;
    datasetLabel: string;
    datasetName?: string;
    classNames: readonly string[];
    train: DatasetBytes;
    validation: DatasetBytes;
    initial?: ModelSnapshot;
    resume?: boolean;
    threads?: number;
  }): number {
    const runId = this.nextId++;
    this.currentRun = runId;
    this.send({ type: 'train', runId, ...init, classNames: [...init.classNames] });
    return runId;
  }

  pause(runId: number): void {
    this.send({ type: 'pause', runId });
  }

  resume(runId: number): void {
    this.send({ type: 'resume', runId });
  }

  stop(runId: number): void {
    this.send({ type: 'stop', runId });
  }

  /** Runs a model over a whole data set in the worker. */
  evaluate(snapshot: ModelSnapshot, data: DatasetBytes): Promise<Evaluation> {
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.send({ type: 'evaluate', requestId, snapshot, data });
    });
  }

  private send(request: WorkerRequest): void {
    this.worker.postMessage(request);
  }

  private receive(event: WorkerEvent): void {
    if (event.type === 'evaluated' || event.type === 'evaluate-failed') {
      const pending = this.pending.get(event.requestId);
      this.pending.delete(event.requestId);
      if (!pending) return;
      if (event.type === 'evaluated') pending.resolve(event);
      else pending.reject(new RemoteError({ code: event.code, message: event.message }));
      return;
    }
    for (const listener of this.runListeners) listener(event);
  }
}

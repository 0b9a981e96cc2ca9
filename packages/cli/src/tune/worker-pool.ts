import { Worker } from 'node:worker_threads';
import { type EpochRecord, ScratchnetError } from '@scratchnet/core';
import type { DataRequest } from '../lib/training-data.js';
import type { TrialJob } from './trial-runner.js';
import type { TrialResult } from './trial-csv.js';

export interface TrialOutcome {
  result: TrialResult;
  /** Validation accuracy after each epoch the trial ran. */
  curve: number[];
  /** Each epoch the trial ran, as core's fit reported it (the saved model's training history). */
  history: EpochRecord[];
  tensors: Array<{ name: string; shape: number[]; data: Float32Array }>;
}

type WorkerMessage =
  | { type: 'ready' }
  | ({ type: 'result' } & TrialOutcome)
  | { type: 'error'; message: string; code?: string; namespace?: string; name?: string };

/**
 * Runs trials on `size` worker threads, each holding its own copy of the data. `next()` supplies
 * the next job (or null when there is none), so later jobs can use earlier results (the hopeless
 * bar); `onResult` sees every finished trial in completion order.
 */
export async function runOnWorkers(
  size: number,
  workerUrl: URL,
  data: DataRequest,
  next: () => TrialJob | null,
  onResult: (outcome: TrialOutcome) => void,
): Promise<void> {
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: size }, () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(workerUrl, { workerData: { request: data, threads: size > 1 ? 1 : undefined } });
          workers.push(worker);
          const give = () => {
            const job = next();
            if (job) worker.postMessage(job);
            else {
              worker.postMessage(null);
              resolve();
            }
          };
          worker.on('message', (message: WorkerMessage) => {
            if (message.type === 'ready') give();
            else if (message.type === 'result') {
              onResult(message);
              give();
            } else {
              const error = new ScratchnetError(message.code ?? 'TRIAL_FAILED', message.message);
              error.name = message.name ?? 'ScratchnetError';
              // The namespace crosses the thread with the code, so the error table still finds it.
              if (message.namespace) Object.defineProperty(error, 'namespace', { value: message.namespace });
              reject(error);
            }
          });
          worker.on('error', reject);
          worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tune worker exited with code ${code}`))));
        }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

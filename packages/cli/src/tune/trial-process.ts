import { buildModel, useFastestBackend } from '@scratchnet/core';
import { encodeCheckpoint } from '@scratchnet/model-format';
import { registerCustomDatasets } from '../lib/custom-datasets.js';
import { type TrainingData, loadTrainingData } from '../lib/training-data.js';
import type { QueueTrialData } from './queue-job.js';
import { trialSpec } from './search-space.js';
import { trialTrainingRecord } from './trial-record.js';
import { runTrial } from './trial-runner.js';

/** What the worker sends: one trial to run, with its own data folder (never part of the job). */
export interface TrialProcessRequest {
  type: 'run';
  data: QueueTrialData;
  dataDir?: string;
}

export type TrialProcessMessage =
  | { type: 'progress'; epoch: number; epochs: number; loss: number; valAccuracy: number }
  | { type: 'done'; result: import('./trial-csv.js').TrialResult; curve: number[]; history: import('@scratchnet/core').EpochRecord[]; checkpoint: Uint8Array }
  | { type: 'error'; message: string; code?: string; namespace?: string };

/**
 * Child process of `scratchnet-cli worker`: runs one trial at a time for its parent, so the
 * parent's event loop (which renews BullMQ's job locks) never waits for an epoch. Data sets are
 * loaded once per (data set, split, limit) and kept for the next trial. The child exits when its
 * parent goes, even on SIGKILL (the IPC channel closes).
 */
const loaded = new Map<string, Promise<TrainingData>>();

function dataFor(job: QueueTrialData, dataDir: string | undefined): Promise<TrainingData> {
  const key = JSON.stringify([job.dataset, job.valSplit, job.trainLimit, dataDir]);
  let data = loaded.get(key);
  if (!data) {
    data = loadTrainingData({ dataset: job.dataset, dataDir, valSplit: job.valSplit, seed: 0, trainLimit: job.trainLimit });
    data.catch(() => loaded.delete(key));
    loaded.set(key, data);
  }
  return data;
}

async function run(request: TrialProcessRequest): Promise<TrialProcessMessage> {
  const job = request.data;
  const data = await dataFor(job, request.dataDir);
  if (!data.validation) throw new Error('tune needs a validation split (--val-split > 0)');
  const { result, curve, history, weights } = await runTrial({ config: job.config, seed: job.seed, epochs: job.epochs, bar: [] }, data.train, data.validation, (e) =>
    process.send?.({ type: 'progress', ...e } satisfies TrialProcessMessage),
  );
  const spec = trialSpec(job.config, data.inputSize, data.classNames.length);
  const model = buildModel(spec);
  model.loadStateDict(weights as never);
  const checkpoint = encodeCheckpoint({
    model,
    classNames: [...data.classNames],
    training: trialTrainingRecord({ config: job.config, result, history }, data, job),
  });
  model.dispose();
  return { type: 'done', result, curve, history, checkpoint };
}

async function main(): Promise<void> {
  registerCustomDatasets();
  // The worker runs several children side by side: one kernel thread each unless told otherwise.
  await useFastestBackend(process.env.SCRATCHNET_THREADS ? {} : { threads: 1 });
  process.on('disconnect', () => process.exit(0));
  // Ctrl-C reaches the whole process group: the parent decides (it hands the job back, then ends us).
  process.on('SIGINT', () => {});
  process.on('message', (request: TrialProcessRequest) => {
    run(request).then(
      (message) => process.send?.(message),
      (error: Error & { code?: string; namespace?: string }) =>
        process.send?.({ type: 'error', message: error.message, code: error.code, namespace: error.namespace } satisfies TrialProcessMessage),
    );
  });
  process.send?.({ type: 'ready' });
}

main().catch((error: Error) => {
  process.send?.({ type: 'error', message: error.message });
  process.exit(1);
});

import { parentPort, workerData } from 'node:worker_threads';
import { useFastestBackend } from '@scratchnet/core';
import { registerCustomDatasets } from '../lib/custom-datasets.js';
import { type DataRequest, loadTrainingData } from '../lib/training-data.js';
import { type TrialJob, runTrial } from './trial-runner.js';

/**
 * Worker thread of `tune`: loads the data once, then runs the trials the main thread sends, one
 * at a time, posting each result (and the trained weights, transferred not copied) back.
 */
async function main(): Promise<void> {
  const port = parentPort!;
  registerCustomDatasets();
  const { request, threads } = workerData as { request: DataRequest; threads?: number };
  // Trials already run in parallel, so each one's kernels get one thread unless the user says otherwise.
  await useFastestBackend(threads !== undefined && !process.env.SCRATCHNET_THREADS ? { threads } : {});
  const data = await loadTrainingData(request);
  if (!data.validation) throw new Error('tune needs a validation split (--val-split > 0)');
  const validation = data.validation;
  port.on('message', async (job: TrialJob | null) => {
    if (job === null) {
      port.close();
      return;
    }
    try {
      const { result, curve, history, weights } = await runTrial(job, data.train, validation);
      // slice(): a fresh buffer, never a view into a WASM memory, so it can be transferred.
      const tensors = [...weights].map(([name, t]) => ({ name, shape: [...t.shape], data: t.data.slice() }));
      port.postMessage({ type: 'result', result, curve, history, tensors }, tensors.map((t) => t.data.buffer as ArrayBuffer));
    } catch (error) {
      port.postMessage({ type: 'error', message: (error as Error).message, code: (error as { code?: string }).code, namespace: (error as { namespace?: string }).namespace, name: (error as Error).name });
    }
  });
  port.postMessage({ type: 'ready' });
}

main().catch((error: Error) => {
  parentPort?.postMessage({ type: 'error', message: error.message, code: (error as { code?: string }).code, namespace: (error as { namespace?: string }).namespace, name: error.name });
});

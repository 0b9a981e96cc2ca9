import { toEnvelope } from '../../../shared/error-envelope.js';
import { evaluateDataset } from './evaluate-dataset.js';
import { KernelThreads } from './kernel-threads.js';
import { modelFromSnapshot, TrainingSession, toDataset } from './training-session.js';
import type { WorkerEvent, WorkerRequest } from './worker-protocol.js';

/**
 * The training worker: trains off the page's thread so drawing and predicting stay smooth, and
 * evaluates whole test sets for the Inspect screen. One run at a time; a new `train` stops the old one.
 */
const scope = self as unknown as {
  postMessage(message: WorkerEvent, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
};

// WebAssembly SIMD kernels where the engine has them (the CSP allows 'wasm-unsafe-eval' for
// this); the plain-TypeScript backend otherwise. Every request waits for the choice; a run asks
// for its thread count first.
const kernels = new KernelThreads();
let backendReady: Promise<unknown> = kernels.use(1).catch(() => undefined);

let session: TrainingSession | null = null;
let sessionRunId = -1;

function post(event: WorkerEvent): void {
  scope.postMessage(event);
}

scope.onmessage = async (event) => {
  const request = event.data;
  if (request.type === 'train') backendReady = kernels.use(request.threads ?? 1).catch(() => undefined);
  await backendReady;
  switch (request.type) {
    case 'train': {
      session?.stop();
      try {
        const current = new TrainingSession(request, post);
        session = current;
        sessionRunId = request.runId;
        void current.run().finally(() => {
          if (session === current) session = null;
        });
      } catch (error) {
        post({ type: 'failed', runId: request.runId, code: codeOf(error), message: messageOf(error) });
      }
      break;
    }
    case 'pause':
      if (request.runId === sessionRunId) session?.pause();
      break;
    case 'resume':
      if (request.runId === sessionRunId) session?.resume();
      break;
    case 'stop':
      if (request.runId === sessionRunId) session?.stop();
      break;
    case 'evaluate': {
      try {
        const model = modelFromSnapshot(request.snapshot);
        let result: ReturnType<typeof evaluateDataset>;
        try {
          result = evaluateDataset(model, toDataset(request.data, request.snapshot.classNames));
        } finally {
          model.dispose();
        }
        scope.postMessage({ type: 'evaluated', requestId: request.requestId, ...result }, [result.predictions.buffer, result.probabilities.buffer]);
      } catch (error) {
        post({ type: 'evaluate-failed', requestId: request.requestId, code: codeOf(error), message: messageOf(error) });
      }
      break;
    }
  }
};

/** The namespaced code of core's error table ('training' failures as 'core/NON_FINITE_LOSS'). */
function codeOf(error: unknown): string {
  return toEnvelope(error).code;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

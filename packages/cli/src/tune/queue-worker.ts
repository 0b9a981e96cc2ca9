import { hostname } from 'node:os';
import { type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type QueueTrialData, type QueueTrialProgress, type QueueTrialReturn, TRIAL_QUEUE } from './queue-job.js';
import { type QueueUrl, redactSecrets, redisOptions } from './queue-url.js';
import { TrialChildPool } from './trial-child-pool.js';
import { storeTrialWeights } from './trial-weights-store.js';

export interface QueueWorkerOptions {
  queue: QueueUrl;
  /** Trials run side by side, each in its own child process. */
  concurrency: number;
  /** Exit after this many seconds with nothing to do (undefined: wait for work for ever). */
  idleExitSeconds?: number;
  dataDir?: string;
  artifacts?: string;
  /** Largest checkpoint kept in Redis, in bytes. */
  weightsCap: number;
  /** How long a job stays claimed without a lock renewal before another worker reruns it. */
  lockMs: number;
  /** Set to end the worker (SIGINT/SIGTERM): running trials are handed back to the queue. */
  signal: AbortSignal;
  onNote(text: string): void;
  onEvent(type: string, data: Record<string, unknown>): void;
}

/** How a worker ended: out of work for --idle-exit seconds, or stopped by a signal. */
export type WorkerEnd = { reason: 'idle' | 'signal'; completed: number; failed: number; handedBack: number };

/** Exponential backoff for crashed trials: 1 s, 2 s, 4 s … (set per job by the coordinator). */
export const TRIAL_ATTEMPTS = 4;
export const TRIAL_BACKOFF = { type: 'exponential', delay: 1000 } as const;

/**
 * `scratchnet-cli worker`: takes trials from the queue and runs each in a child process, so the
 * event loop here stays free to renew BullMQ's lock however long an epoch takes. Every epoch is
 * reported with job.updateProgress; a finished trial's checkpoint is stored (Redis or
 * --artifacts) before the job completes, so a completed job always has its weights. A diverged
 * trial fails with UnrecoverableError (recorded, never retried); a crashed child fails the attempt
 * (retried with backoff); a SIGKILLed worker's job is found stalled and rerun by another worker.
 */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<WorkerEnd> {
  const store = new Redis(redisOptions(options.queue));
  store.on('error', () => {});
  const pool = new TrialChildPool(new URL('./trial-process.js', import.meta.url));
  const me = `${hostname()}:${process.pid}`;
  let active = 0;
  let lastBusy = Date.now();
  let stopping = false;
  const counts = { completed: 0, failed: 0, handedBack: 0 };

  const processor = async (job: Job<QueueTrialData, QueueTrialReturn>, token?: string): Promise<QueueTrialReturn> => {
    active++;
    try {
      const data = job.data;
      if (stopping && token) {
        await job.moveToWait(token);
        throw new WaitingError();
      }
      let updates = Promise.resolve();
      let done: Awaited<ReturnType<TrialChildPool['run']>>;
      try {
        done = await pool.run({ type: 'run', data, dataDir: options.dataDir }, (p) => {
          const progress: QueueTrialProgress = { epoch: p.epoch, epochs: p.epochs, valAccuracy: p.valAccuracy, loss: p.loss };
          // One update at a time, in order: a late epoch update must never overwrite the final record.
          updates = updates.then(() => job.updateProgress(progress as never)).catch(() => {});
          options.onEvent('progress', { job: job.id, ...progress });
        });
      } catch (error) {
        if (stopping && token) {
          // Hand the job back: waiting again, its attempt not counted, for another worker to take.
          await job.moveToWait(token);
          counts.handedBack++;
          options.onEvent('handed-back', { job: job.id });
          options.onNote(`handed back ${job.id} (${data.config.lr} seed ${data.seed})`);
          throw new WaitingError();
        }
        throw error;
      }
      const { result } = done;
      if (result.status === 'diverged') {
        // Deterministic: the same seed diverges again. Keep what happened, fail for good.
        await updates;
        await job.updateProgress({ failedResult: result } as never);
        throw new UnrecoverableError(`diverged in epoch ${result.epochs + 1}: the loss became NaN or infinite (lr ${result.lr})`);
      }
      const stored = await storeTrialWeights(store, String(job.id), done.checkpoint, { artifacts: options.artifacts, cap: options.weightsCap });
      if ('refused' in stored) throw new UnrecoverableError(stored.refused);
      return { result, curve: done.curve, history: done.history, weights: stored.where, weightBytes: done.checkpoint.length, worker: me };
    } finally {
      active--;
      lastBusy = Date.now();
    }
  };

  const worker = new Worker<QueueTrialData, QueueTrialReturn>(TRIAL_QUEUE, processor, {
    connection: redisOptions(options.queue),
    concurrency: options.concurrency,
    lockDuration: options.lockMs,
    stalledInterval: options.lockMs,
    // A Redis restart or a busy machine can make a job look stalled more than once.
    maxStalledCount: 3,
  });
  worker.on('active', (job) => {
    options.onEvent('active', { job: job.id, config: job.data.config, seed: job.data.seed });
    options.onNote(`▶ ${job.id} ${describe(job.data)}`);
  });
  worker.on('completed', (job, value) => {
    counts.completed++;
    options.onEvent('completed', { job: job.id, status: value.result.status, valAccuracy: value.result.valAccuracy, seconds: value.result.seconds });
    options.onNote(`✓ ${job.id} ${describe(job.data)}: ${value.result.status}, val acc ${(value.result.valAccuracy * 100).toFixed(1)}% in ${value.result.seconds.toFixed(1)}s`);
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    counts.failed++;
    options.onEvent('failed', { job: job.id, reason: redactSecrets(error.message), attemptsMade: job.attemptsMade });
    options.onNote(`✗ ${job.id} ${describe(job.data)}: ${redactSecrets(error.message)}`);
  });
  worker.on('error', (error) => options.onNote(`worker: ${redactSecrets(error.message)}`));

  const ended = new Promise<WorkerEnd['reason']>((resolve) => {
    options.signal.addEventListener('abort', () => resolve('signal'), { once: true });
    if (options.idleExitSeconds !== undefined) {
      const limit = options.idleExitSeconds * 1000;
      const timer = setInterval(() => {
        if (active === 0 && Date.now() - lastBusy >= limit) {
          clearInterval(timer);
          resolve('idle');
        }
      }, Math.min(1000, Math.max(100, limit / 4)));
      options.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
    }
  });
  const reason = await ended;
  stopping = true;
  // Fetch nothing more; on a signal, end the running trials at once (their jobs are handed back).
  const closed = worker.close();
  if (reason === 'signal') pool.killAll();
  await closed;
  pool.killAll();
  store.disconnect();
  return { reason, ...counts };
}

function describe(data: QueueTrialData): string {
  const c = data.config;
  return `${data.search}: lr=${c.lr} bs=${c.batchSize} ${c.arch ? `arch=${c.arch}` : `hidden=${c.hidden || 'none'}`} seed ${data.seed}`;
}

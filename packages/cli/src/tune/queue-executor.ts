import { decodeCheckpoint } from '@scratchnet/model-format';
import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { type QueueTrialData, type QueueTrialReturn, TRIAL_QUEUE, trialJobId } from './queue-job.js';
import { type QueueUrl, redisOptions } from './queue-url.js';
import { configKey } from './search-space.js';
import type { TrialResult } from './trial-csv.js';
import { TRIAL_ATTEMPTS, TRIAL_BACKOFF } from './queue-worker.js';
import { loadTrialWeights } from './trial-weights-store.js';
import type { FinishedTrial, SearchSettings, TrialExecutor, TrialTask, TrialTensors } from './tune-engine.js';

/** The live state of a search, reported whenever it changes. */
export interface QueueStatus {
  total: number;
  done: number;
  running: number;
  failed: number;
  /** Seconds left at the pace of this run so far (undefined before the first trial of this run ends). */
  etaSeconds?: number;
}

export interface QueueExecutorOptions {
  queue: QueueUrl;
  /** The search's name (`tune --name`): part of every job id, so a re-run resumes it. */
  name: string;
  /** The shared folder the workers keep checkpoints in, when they were started with --artifacts. */
  artifacts?: string;
  /** How often the coordinator re-reads every pending trial's state (events can be missed across a restart). */
  sweepMs?: number;
  onPrepared(counts: { reused: number; enqueued: number; pending: number }): void;
  onStatus(status: QueueStatus): void;
}

/**
 * The BullMQ executor: one job per trial with a job id hashed from the trial's description, so
 * running the same search again adds only the trials Redis does not hold and reports the finished
 * ones from their stored results. Progress comes from QueueEvents; a periodic sweep of the pending
 * jobs' states makes the outcome independent of missed events (a coordinator or Redis restart).
 */
export class QueueExecutor implements TrialExecutor {
  private readonly queue: Queue<QueueTrialData, QueueTrialReturn>;
  private readonly events: QueueEvents;
  private readonly store: Redis;

  constructor(private readonly options: QueueExecutorOptions) {
    const connection = redisOptions(options.queue);
    this.queue = new Queue(TRIAL_QUEUE, { connection });
    this.events = new QueueEvents(TRIAL_QUEUE, { connection });
    this.store = new Redis(connection);
    for (const emitter of [this.queue, this.events, this.store]) (emitter as { on(e: 'error', f: () => void): void }).on('error', () => {});
  }

  get where(): string {
    return `queue ${this.options.queue.redacted}, search '${this.options.name}'`;
  }

  async run(tasks: readonly TrialTask[], settings: SearchSettings, onFinished: (trial: FinishedTrial) => void): Promise<void> {
    const { request, epochs } = settings;
    const datas = tasks.map(
      (t): QueueTrialData => ({ search: this.options.name, config: t.config, seed: t.seed, epochs, dataset: request.dataset, valSplit: request.valSplit, trainLimit: request.trainLimit }),
    );
    const byId = new Map(datas.map((d) => [trialJobId(d), d]));
    const pending = new Set(byId.keys());
    let failed = 0;
    let done = 0;
    let finishedHere = 0;
    const started = Date.now();

    // Earlier runs' trials: finished ones are reported as they are; failed-for-good ones that did
    // not diverge (crashed every attempt) are retried; the rest are added (existing ids are no-ops).
    let reused = 0;
    const missing: QueueTrialData[] = [];
    for (const [id, data] of byId) {
      const job = await Job.fromId<QueueTrialData, QueueTrialReturn>(this.queue, id);
      if (!job) missing.push(data);
      else if (await this.settle(job, true, onFinished)) {
        pending.delete(id);
        reused++;
        if (job.returnvalue?.result) done++;
        else failed++;
      }
    }
    await this.queue.addBulk(
      missing.map((data) => ({
        name: 'trial',
        data,
        opts: { jobId: trialJobId(data), attempts: TRIAL_ATTEMPTS, backoff: TRIAL_BACKOFF, removeOnComplete: false, removeOnFail: false },
      })),
    );
    this.options.onPrepared({ reused, enqueued: missing.length, pending: pending.size });

    await this.events.waitUntilReady();
    await new Promise<void>((resolve, reject) => {
      const activeIds = new Set<string>();
      const report = () => {
        const elapsed = (Date.now() - started) / 1000;
        this.options.onStatus({ total: byId.size, done, running: activeIds.size, failed, etaSeconds: finishedHere > 0 ? (elapsed / finishedHere) * pending.size : undefined });
      };
      /** Re-reads the given jobs' states; checks run one at a time so a trial is never reported twice. */
      const check = async (ids: readonly string[]) => {
        let changed = false;
        for (const id of ids) {
          if (!pending.has(id)) continue;
          const job = await Job.fromId<QueueTrialData, QueueTrialReturn>(this.queue, id);
          if (!job) {
            // Gone (someone removed it): add it again, it is still owed a result.
            await this.queue.add('trial', byId.get(id)!, { jobId: id, attempts: TRIAL_ATTEMPTS, backoff: TRIAL_BACKOFF, removeOnComplete: false, removeOnFail: false });
            continue;
          }
          const wasActive = activeIds.delete(id);
          if (await this.settle(job, false, onFinished)) {
            pending.delete(id);
            finishedHere++;
            changed = true;
            if (job.returnvalue?.result) done++;
            else failed++;
          } else if ((await job.getState()) === 'active') activeIds.add(id);
          if (wasActive !== activeIds.has(id)) changed = true;
        }
        if (changed) report();
        if (pending.size === 0) finish();
      };
      let chain = Promise.resolve();
      const schedule = (ids: () => readonly string[]) => {
        chain = chain.then(() => check(ids())).catch(fail);
      };
      // Events say which job changed; the sweep catches whatever events were missed (a restart).
      const timer = setInterval(() => schedule(() => [...pending]), this.options.sweepMs ?? 5000);
      const onEvent = ({ jobId }: { jobId: string }) => {
        if (pending.has(jobId)) schedule(() => [jobId]);
      };
      const events = ['completed', 'failed', 'active', 'stalled', 'waiting'] as const;
      for (const e of events) this.events.on(e, onEvent as never);
      const finish = () => {
        clearInterval(timer);
        for (const e of events) this.events.off(e, onEvent as never);
        resolve();
      };
      const fail = (error: unknown) => {
        clearInterval(timer);
        reject(error);
      };
      report();
      schedule(() => [...pending]);
    });
  }

  /**
   * Reports a job that has a final result (completed, or failed for good) and returns true; a
   * job that failed every attempt without diverging is retried when `retryCrashed`.
   */
  private async settle(job: Job<QueueTrialData, QueueTrialReturn>, retryCrashed: boolean, onFinished: (trial: FinishedTrial) => void): Promise<boolean> {
    const state = await job.getState();
    if (state === 'completed' && job.returnvalue?.result) {
      const value = job.returnvalue;
      onFinished({ result: revived(value.result), curve: value.curve, history: value.history, reused: retryCrashed, weights: () => this.weightsOf(String(job.id), value) });
      return true;
    }
    if (state !== 'failed') return false;
    const diverged = (job.progress as { failedResult?: TrialResult } | undefined)?.failedResult;
    if (!diverged && retryCrashed) {
      await job.retry('failed');
      return false;
    }
    onFinished({ result: diverged ? revived(diverged) : crashedResult(job), curve: [], history: [], reused: retryCrashed, reason: job.failedReason, weights: async () => undefined });
    return true;
  }

  private async weightsOf(jobId: string, value: QueueTrialReturn): Promise<TrialTensors | undefined> {
    const bytes = await loadTrialWeights(this.store, jobId, value.weights, this.options.artifacts);
    if (!bytes) return undefined;
    const checkpoint = decodeCheckpoint(bytes);
    return [...checkpoint.tensors].map(([name, t]) => ({ name, shape: [...t.shape], data: t.data as Float32Array }));
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.events.close(), this.queue.close()]);
    this.store.disconnect();
  }
}

/** A result as it comes back from Redis: JSON stored NaN as null. */
function revived(r: TrialResult): TrialResult {
  const n = (v: number | null) => (v === null ? Number.NaN : v);
  return { ...r, valLoss: n(r.valLoss), valAccuracy: n(r.valAccuracy), seconds: n(r.seconds) };
}

/** The result row of a trial that failed every attempt without a result of its own. */
function crashedResult(job: Job<QueueTrialData, QueueTrialReturn>): TrialResult {
  const { config, seed } = job.data;
  const seconds = job.finishedOn && job.processedOn ? (job.finishedOn - job.processedOn) / 1000 : 0;
  return { ...config, config: configKey(config), seed, status: 'failed', epochs: 0, valLoss: Number.NaN, valAccuracy: 0, seconds };
}

import type { TrialJob } from './trial-runner.js';
import type { TrialResult } from './trial-csv.js';
import type { FinishedTrial, SearchSettings, TrialExecutor, TrialTask } from './tune-engine.js';
import { runOnWorkers } from './worker-pool.js';

/**
 * The default executor: trials on worker threads of this process, each thread holding its own
 * copy of the data. Trials get the "hopeless bar" (the best validation accuracy after each epoch
 * among finished trials, including `previous` ones from the CSV) as it stands when they start.
 */
export class LocalExecutor implements TrialExecutor {
  private readonly bar: number[] = [];

  constructor(
    private readonly workers: number,
    previous: readonly TrialResult[] = [],
    private readonly workerUrl = new URL('./tune-worker.js', import.meta.url),
  ) {
    for (const r of previous) if (r.status === 'done' && r.epochs >= 1) this.bar[r.epochs - 1] = Math.max(this.bar[r.epochs - 1] ?? 0, r.valAccuracy);
  }

  get where(): string {
    return `${this.workers} workers`;
  }

  async run(tasks: readonly TrialTask[], settings: SearchSettings, onFinished: (trial: FinishedTrial) => void): Promise<void> {
    const queue = [...tasks];
    const { bar } = this;
    await runOnWorkers(
      Math.min(this.workers, queue.length),
      this.workerUrl,
      settings.request,
      (): TrialJob | null => {
        const task = queue.shift();
        return task ? { ...task, epochs: settings.epochs, bar: Array.from(bar, (v) => v ?? 0) } : null;
      },
      (outcome) => {
        if (outcome.result.status === 'done') for (const [e, v] of outcome.curve.entries()) bar[e] = Math.max(bar[e] ?? 0, v);
        const { result, curve, history, tensors } = outcome;
        onFinished({ result, curve, history, reused: false, weights: async () => tensors });
      },
    );
  }

  async close(): Promise<void> {}
}

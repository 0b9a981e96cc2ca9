/**
 * `@scratchnet/cli/tune`: the tune engine as a library. `runSearch` runs trials on a
 * `TrialExecutor`: `LocalExecutor` (worker threads of this process) or `QueueExecutor` (one BullMQ
 * job per trial on Redis, run by `runQueueWorker` — what `scratchnet-cli worker` calls — on any
 * number of machines). A separate entry so that `@scratchnet/cli` does not load BullMQ.
 */
export { runSearch, type TrialExecutor, type TrialTask, type FinishedTrial, type SearchSettings, type TrialTensors } from './tune-engine.js';
export { LocalExecutor } from './local-executor.js';
export { QueueExecutor, type QueueExecutorOptions, type QueueStatus } from './queue-executor.js';
export { runQueueWorker, type QueueWorkerOptions, type WorkerEnd, TRIAL_ATTEMPTS, TRIAL_BACKOFF } from './queue-worker.js';
export { parseQueueUrl, redactSecrets, checkQueueReachable, type QueueUrl } from './queue-url.js';
export { trialJobId, TRIAL_QUEUE, type QueueTrialData, type QueueTrialReturn, type QueueTrialProgress } from './queue-job.js';
export { gridConfigs, randomConfigs, configKey, type TrialConfig, type SearchSpace } from './search-space.js';
export { type TrialResult, bestPerConfig, compareTrials } from './trial-csv.js';

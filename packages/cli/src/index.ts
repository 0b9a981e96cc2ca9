/**
 * @scratchnet/cli as a library: run the CLI in-process (tests, scripts) and reuse its pieces.
 */
export { runCli } from './run-cli.js';
export { createProgram } from './program.js';
export { describeError, type ErrorReport } from './errors/describe-error.js';
export { CliError, CliErrorCode } from './errors/cli-error.js';
export { PRESETS, PRESET_NAMES, type PresetName } from './options/presets.js';
export { DEFAULT_SETTINGS, resolveTrainSettings, type TrainSettings } from './options/train-settings.js';
export { parseSchedule, formatSchedule } from './options/schedule.js';
export { drawTerminalChart, type Series } from './output/terminal-chart.js';
export { drawSvgChart } from './output/svg-chart.js';
export { drawHalfBlocks } from './output/half-blocks.js';
export { runSearch, type TrialExecutor, type TrialTask, type FinishedTrial, type SearchSettings, type TrialTensors } from './tune/tune-engine.js';
export { LocalExecutor } from './tune/local-executor.js';
export { QueueExecutor, type QueueExecutorOptions, type QueueStatus } from './tune/queue-executor.js';
export { runQueueWorker, type QueueWorkerOptions, type WorkerEnd } from './tune/queue-worker.js';
export { parseQueueUrl, redactSecrets, checkQueueReachable, type QueueUrl } from './tune/queue-url.js';
export { trialJobId, TRIAL_QUEUE, type QueueTrialData, type QueueTrialReturn } from './tune/queue-job.js';
export { gridConfigs, randomConfigs, configKey, type TrialConfig, type SearchSpace } from './tune/search-space.js';

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
// The tune engine and its executors (local worker threads, BullMQ): the separate entry '@scratchnet/cli/tune'.

/**
 * Reads one checkpoint file with model-format's `readCheckpoint` (or `loadModelFile` with
 * `--model`) and prints one JSON line: how long it took, this process's peak RSS, and the outcome
 * (`accepted` or the FormatError code). Run in a fresh process so that the peak RSS is the read's.
 */
import { loadModelFile, readCheckpoint } from '@scratchnet/model-format/node';

const [path, mode] = process.argv.slice(2);
const baselineRssBytes = process.memoryUsage().rss;
const started = performance.now();
let outcome;
try {
  await (mode === '--model' ? loadModelFile(path) : readCheckpoint(path));
  outcome = 'accepted';
} catch (error) {
  outcome = error?.name === 'FormatError' ? error.code : `untyped ${error?.name}: ${error?.message}`;
}
const ms = performance.now() - started;
// maxRSS is in KiB on Linux and macOS.
console.log(JSON.stringify({ outcome, ms, peakRssBytes: process.resourceUsage().maxRSS * 1024, baselineRssBytes }));

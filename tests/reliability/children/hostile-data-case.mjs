// Child process for reliability-hostile-data: runs one @scratchnet/datasets operation on hostile
// input, described by the JSON job in argv[2], and prints one JSON line with the outcome, the
// time the operation took and this process's peak RSS. Exits at once afterwards, so a read that
// is still blocked (a FIFO, in code that opens it) cannot keep it alive.
import { loadDataset, readIdxFile, verifyDataset } from '@scratchnet/datasets/node';

const job = JSON.parse(process.argv[2]);
const started = performance.now();
let outcome;
try {
  if (job.op === 'load') {
    const loaded = await loadDataset(job.spec, job.options);
    outcome = { ok: true, source: loaded.source };
  } else if (job.op === 'verify') {
    const report = await verifyDataset(job.spec, job.options);
    outcome = { ok: report.ok, code: report.files.map((f) => f.error?.code).find(Boolean), files: report.files.map((f) => f.error?.code ?? f.status) };
  } else if (job.op === 'readIdx') {
    const idx = await readIdxFile(job.path);
    outcome = { ok: true, dims: idx.dims };
  } else {
    throw new Error(`unknown op ${job.op}`);
  }
} catch (error) {
  outcome = { ok: false, name: error?.name, code: error?.code, message: error?.message };
}
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ ...outcome, ms, maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
process.exit(0);

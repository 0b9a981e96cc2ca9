#!/usr/bin/env node
// The full-length reliability suite (see RELIABILITY.md): the same tests CI runs, with every loop
// scaled up by RELIABILITY_FULL=1 — 500 kills during saves, 300 during downloads, 60,000 fuzz
// cases per reader, 750 × 64 training steps sampled for leaks, 200 desktop train/stop cycles.
//
//   node scripts/reliability-full.mjs             build what the tests import, then run them all
//   node scripts/reliability-full.mjs --no-build  run against the dist/ already built
//   node scripts/reliability-full.mjs kill-save   only files whose name contains "kill-save"
//
// A specific count can still be set, e.g. RELIABILITY_KILLS=2000 (see tests/reliability/helpers/scale.ts).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const build = !args.includes('--no-build');
const filters = args.filter((a) => a !== '--no-build');

function run(command, commandArgs, cwd, env = process.env) {
  const result = spawnSync(command, commandArgs, { cwd, env, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

if (build) {
  const status = run('npx', ['-y', 'pnpm@10', 'turbo', 'run', 'build', '--filter=@scratchnet/e2e-tests^...', '--output-logs=errors-only'], root);
  if (status !== 0) process.exit(status);
}

const started = Date.now();
const patterns = filters.length > 0 ? filters.map((f) => `reliability-${f.replace(/^reliability-/, '')}`) : ['reliability-'];
const status = run('npx', ['vitest', 'run', ...patterns, '--testTimeout=3600000', '--hookTimeout=600000'], join(root, 'tests'), {
  ...process.env,
  RELIABILITY_FULL: '1',
});
console.log(`reliability (full): exit ${status} after ${((Date.now() - started) / 60_000).toFixed(1)} min; figures are the [reliability] lines above`);
process.exit(status);

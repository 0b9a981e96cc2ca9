#!/usr/bin/env node
// Compares candidate training runs without tuning on the whole drawing set: each candidate is
// trained with `scratchnet-cli train` (timed, --threads 2), then read on the drawings split by
// writer into a TUNING half (choose settings on it) and a HELD-OUT half (report only), on the
// MNIST round trip (mnist-roundtrip.mjs, stroke step on) and on the offline test digits.
//
//   node bench/drawings/compare-candidates.mjs name='--preset digits-cnn --epochs 5' ... [--drawings DIR]
//
// Checkpoints go to bench/drawings/.cache/candidates/<name>.safetensors (kept; delete to retrain).
// Needs the packages built and the drawings made (eval-drawings.mjs makes them).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Settings are chosen on these 9 writers; the other 9 are only reported (dkg and dkg-bold stay together). */
export const TUNING_WRITERS = ['breip', 'bw-build', 'bw-connect', 'bw-mentor', 'comic-neue', 'delphine', 'dkg', 'dkg-bold', 'kaushan'];

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const cli = join(root, 'packages/cli/bin/scratchnet-cli.js');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { drawings: { type: 'string', default: join(here, '.cache/drawings-s13-n10') }, threads: { type: 'string', default: '2' } },
});
const drawings = resolve(values.drawings);
const manifest = JSON.parse(readFileSync(join(drawings, 'manifest.json'), 'utf8'));
const byFile = new Map(manifest.drawings.map((d) => [resolve(drawings, d.file), d]));
const dir = join(here, '.cache/candidates');
mkdirSync(dir, { recursive: true });

const pct = (right, n) => `${((100 * right) / n).toFixed(1)} %`;
const rows = [];
for (const spec of positionals) {
  const at = spec.indexOf('=');
  const name = spec.slice(0, at);
  const args = spec.slice(at + 1).split(/\s+/).filter(Boolean);
  const path = join(dir, `${name}.safetensors`);
  const log = join(dir, `${name}.train.txt`);
  if (!existsSync(path)) {
    const started = Date.now();
    const out = execFileSync(process.execPath, [cli, 'train', ...args, '--threads', values.threads, '--out', path], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const seconds = (Date.now() - started) / 1000;
    writeFileSync(log, `${out}\nwall ${seconds.toFixed(0)} s, load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}\n`);
  }
  const trained = readFileSync(log, 'utf8');
  const test = /test accuracy ([\d.]+%)/.exec(trained)?.[1] ?? '?';
  const wall = /wall (\d+ s, load [\d.]+)/.exec(trained)?.[1] ?? '?';
  const out = execFileSync(process.execPath, [cli, 'predict', path, drawings, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const count = { tune: [0, 0], held: [0, 0], all: [0, 0] };
  for (const line of out.trim().split('\n')) {
    const p = JSON.parse(line);
    const d = byFile.get(resolve(p.image));
    const ok = Number(p.top[0].className) === d.label ? 1 : 0;
    for (const k of ['all', TUNING_WRITERS.includes(d.writer) ? 'tune' : 'held']) {
      count[k][0] += ok;
      count[k][1] += 1;
    }
  }
  const roundtrip = execFileSync(process.execPath, [join(here, 'mnist-roundtrip.mjs'), path], { encoding: 'utf8' });
  const cells = roundtrip.trim().split('\n').at(-1).split('|').map((s) => s.trim());
  const row = `| ${name} | \`${args.join(' ')}\` | ${pct(...count.tune)} | ${pct(...count.held)} | ${pct(...count.all)} | ${cells.at(-2)} | ${test} | ${wall} |`;
  process.stdout.write(`${row}\n`);
  rows.push(row);
}
writeFileSync(join(dir, `table-${Date.now()}.md`), `| name | train args | tuning writers | held-out writers | all | MNIST round trip | test digits | train wall, load |\n|---|---|---:|---:|---:|---:|---:|---:|\n${rows.join('\n')}\n`);

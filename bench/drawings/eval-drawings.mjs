#!/usr/bin/env node
// How well models read canvas-like drawings, through `scratchnet-cli predict` exactly as a user
// would run it: `pnpm drawings:eval`. Not part of `pnpm test` (it trains two models and reads
// ~1,900 drawings); tests/drawings-smoke.test.ts runs a small slice in CI.
//
//   node bench/drawings/eval-drawings.mjs [--drawings DIR] [--per-digit N] [--seed S]
//        [--model name=checkpoint ...] [--retrain] [--report FILE]
//
// Without --model it trains (once, cached in bench/drawings/.cache/models/) the two models the
// issue asks about, `digits-cnn` (`train --preset digits-cnn`) and `default` (`train` with no
// arguments, the README's main command: LeNet-5), and `lenet5` (`train --preset lenet5`) for comparison.
// Then mnist-roundtrip.mjs reads the 2,000 offline test digits re-drawn on a canvas with them. Drawings come from generate_drawings.py (seeded), made
// once into bench/drawings/.cache/drawings-s<seed>-n<per-digit>/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const cli = join(root, 'packages/cli/bin/scratchnet-cli.js');
const cache = join(here, '.cache');

const { values } = parseArgs({
  options: {
    drawings: { type: 'string' },
    'per-digit': { type: 'string', default: '10' },
    seed: { type: 'string', default: '13' },
    model: { type: 'string', multiple: true },
    retrain: { type: 'boolean', default: false },
    report: { type: 'string' },
  },
});

const python = process.env.PYTHON ?? '/usr/bin/python3';
const drawings = resolve(values.drawings ?? join(cache, `drawings-s${values.seed}-n${values['per-digit']}`));
if (!existsSync(join(drawings, 'manifest.json'))) {
  process.stderr.write(`generating drawings into ${drawings}…\n`);
  execFileSync(python, [join(here, 'generate_drawings.py'), drawings, '--per-digit', values['per-digit'], '--seed', values.seed], { stdio: 'inherit' });
}
const manifest = JSON.parse(readFileSync(join(drawings, 'manifest.json'), 'utf8'));
const byFile = new Map(manifest.drawings.map((d) => [resolve(drawings, d.file), d]));

/** name → checkpoint path: given with --model, else trained here with the CLI (timed). */
function models() {
  if (values.model?.length) return values.model.map((m) => m.split('=')).map(([name, path]) => ({ name, path: resolve(path) }));
  const dir = join(cache, 'models');
  mkdirSync(dir, { recursive: true });
  const runs = [
    { name: 'digits-cnn', args: ['--preset', 'digits-cnn'] },
    { name: 'default', args: [] },
    // Not asked for; the preset the default's architecture comes from, trained longer.
    { name: 'lenet5', args: ['--preset', 'lenet5'] },
  ];
  return runs.map(({ name, args }) => {
    const path = join(dir, `${name}.safetensors`);
    if (values.retrain || !existsSync(path)) {
      process.stderr.write(`training ${name}: scratchnet-cli train ${args.join(' ')}…\n`);
      const started = Date.now();
      const out = execFileSync(process.execPath, [cli, 'train', ...args, '--out', path], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      const test = /test accuracy ([\d.]+%)/.exec(out)?.[1];
      process.stderr.write(`  ${name}: test accuracy ${test} on the offline digits, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    }
    return { name, path };
  });
}

function rate(rows) {
  const right = rows.filter((r) => r.correct).length;
  return { n: rows.length, right, accuracy: rows.length ? right / rows.length : 0 };
}
const pct = (x) => `${(100 * x).toFixed(1)} %`;

function groupBy(rows, key) {
  const groups = new Map();
  for (const r of rows) {
    const k = key(r);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(r);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, rs]) => [k, rate(rs)]);
}

const results = [];
for (const { name, path } of models()) {
  const started = Date.now();
  const out = execFileSync(process.execPath, [cli, 'predict', path, drawings, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (Date.now() - started) / 1000;
  const rows = out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .map((p) => {
      const d = byFile.get(resolve(p.image));
      if (!d) throw new Error(`predict read ${p.image}, which is not in the manifest`);
      return { ...d, predicted: Number(p.top[0].className), correct: Number(p.top[0].className) === d.label };
    });
  results.push({ name, path, seconds, rows, overall: rate(rows) });
}

const lines = [];
lines.push(`# Drawings read through \`scratchnet-cli predict\``);
lines.push('');
lines.push(`${manifest.drawings.length} drawings (seed ${manifest.seed}, ${manifest.canvas}×${manifest.canvas} canvas) from ${new Set(manifest.drawings.map((d) => d.writer)).size} handwriting fonts${manifest.skipped.length ? `; skipped: ${manifest.skipped.join(', ')}` : ''}.`);
lines.push('');
lines.push(`| model | accuracy | predict wall clock |`);
lines.push(`|---|---:|---:|`);
for (const r of results) lines.push(`| ${r.name} | **${pct(r.overall.accuracy)}** (${r.overall.right}/${r.overall.n}) | ${r.seconds.toFixed(1)} s |`);
const table = (title, key) => {
  lines.push('', `## ${title}`, '', `| ${title} | ${results.map((r) => r.name).join(' | ')} |`, `|---|${results.map(() => '---:').join('|')}|`);
  const per = results.map((r) => new Map(groupBy(r.rows, key)));
  for (const k of per[0].keys()) lines.push(`| ${k} | ${per.map((p) => pct(p.get(k).accuracy)).join(' | ')} |`);
};
table('writer', (r) => r.writer);
table('style', (r) => r.style);
table('digit', (r) => r.label);
table('extra stroke per side (fraction of the font size)', (r) => String(r.stroke));
// The same models on real handwriting re-drawn on a canvas: what the preprocessing itself costs.
const modelPaths = results.map((r) => r.path);
const roundtrip = execFileSync(process.execPath, [join(here, 'mnist-roundtrip.mjs'), ...modelPaths], { encoding: 'utf8' });
lines.push('', '## MNIST test digits re-drawn on a 280×280 canvas (mnist-roundtrip.mjs)', '', roundtrip.trim());
const report = lines.join('\n');
process.stdout.write(`${report}\n`);
const reportPath = resolve(values.report ?? join(cache, 'REPORT.md'));
writeFileSync(reportPath, `${report}\n`);
process.stderr.write(`report written to ${reportPath}\n`);

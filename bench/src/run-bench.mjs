// `pnpm bench`: trains the same networks on the same data with Adam (lr 1e-3) in every contender,
// interleaved (round r runs one epoch of every contender before round r+1 starts, each in its own
// process, never two at once), and writes BENCHMARKS.md and bench/results/benchmarks.json.
//
//   node src/run-bench.mjs [--smoke] [--rounds 5] [--cap 4] [--only id,id] [--configs 0,3] [--no-gemm]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { ContenderProcess } from './contender-process.mjs';
import { availableContenders } from './contenders.mjs';
import { cacheDir, loadData, repoRoot } from './data.mjs';
import { layerGemms, measureGemms } from './gemm-bench.mjs';
import { renderMarkdown } from './report.mjs';
import { measureWasmPeak } from './wasm-peak.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const smoke = flag('smoke');

const CONFIGS = [
  { name: '784-16-16-10 b32', layers: [784, 16, 16, 10], activations: ['relu', 'relu'], batch: 32 },
  { name: '784-128-10 b64', layers: [784, 128, 10], activations: ['relu'], batch: 64 },
  { name: '784-128-10 b128', layers: [784, 128, 10], activations: ['relu'], batch: 128 },
  { name: '784-256-128-10 b128', layers: [784, 256, 128, 10], activations: ['relu', 'relu'], batch: 128, inference: true, gemm: true },
  { name: '784-784-784-784-10 b1000 (relu, selu, tanh)', layers: [784, 784, 784, 784, 10], activations: ['relu', 'selu', 'tanh'], batch: 1000 },
];

const rounds = Number(option('rounds', smoke ? 1 : 5));
const cap = Number(option('cap', smoke ? 2 : 4));
const configs = smoke ? [{ ...CONFIGS[0], inference: true }] : (option('configs') ? option('configs').split(',').map(Number).map((i) => CONFIGS[i]) : CONFIGS);
const only = option('only')?.split(',') ?? (smoke ? ['scratchnet-wasm', 'scratchnet-wasm-threads', 'scratchnet-js'] : undefined);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : null;
}
const log = (...args) => console.error('[bench]', ...args);

/** Training flops per sample: forward 2·in·out, weight gradient 2·in·out, input gradient 2·in·out (not layer 1). */
function flopsPerSample(layers) {
  let flops = 0;
  for (let i = 0; i + 1 < layers.length; i++) flops += (i === 0 ? 4 : 6) * layers[i] * layers[i + 1];
  return flops;
}

async function runConfig(config, data, contenders) {
  const shared = { layers: config.layers, activations: config.activations, batch: config.batch, files: data.files, seed: 1 };
  const procs = [];
  const results = {};
  for (const c of contenders) {
    const proc = new ContenderProcess(c.id, c.command, c.args(shared), c.env);
    try {
      const ready = await proc.next();
      procs.push({ c, proc });
      results[c.id] = { id: c.id, label: c.label, group: c.group, info: ready.info, epochs: [], trainedSamples: 0 };
    } catch (error) {
      log(`${c.id} failed to start: ${error.message}`);
      proc.kill();
    }
  }
  // Round 0 warms up (JIT, wasm tier-up, BLAS thread pools) and is not counted.
  for (let round = 0; round <= rounds; round++) {
    for (const { c, proc } of procs) {
      if (results[c.id].error) continue;
      try {
        const r = await proc.send({ cmd: 'epoch', maxSeconds: cap });
        results[c.id].trainedSamples += r.samples;
        if (round > 0) {
          results[c.id].epochs.push({ samples: r.samples, seconds: r.seconds, cpuSeconds: r.cpuSeconds, samplesPerSecond: r.samples / r.seconds });
        }
        log(`${config.name} round ${round} ${c.id}: ${(r.samples / r.seconds).toFixed(0)} samples/s (${r.samples} in ${r.seconds.toFixed(2)} s)`);
      } catch (error) {
        results[c.id].error = error.message;
        log(`${c.id}: ${error.message}`);
      }
    }
  }
  for (const { c, proc } of procs) {
    const result = results[c.id];
    try {
      if (!result.error) {
        result.samplesPerSecond = median(result.epochs.map((e) => e.samplesPerSecond));
        // Samples per CPU-second of the whole process (all its threads): robust to other load on
        // the machine, comparable to wall-clock samples/s only for one-thread contenders.
        result.samplesPerCpuSecond = median(result.epochs.map((e) => e.samples / e.cpuSeconds));
        result.epochsTrained = result.trainedSamples / data.train.size;
        result.testAccuracy = (await proc.send({ cmd: 'evaluate' })).accuracy;
        if (config.inference) result.inferenceMicros = (await proc.send({ cmd: 'infer', iterations: 2000 })).medianMicros;
        if (config.gemm && c.group !== 'scratchnet' && (c.id.startsWith('torch') || c.id.startsWith('numpy'))) {
          result.gemm = (await proc.send({ cmd: 'gemm', shapes: config.gemmShapes })).gflops;
        }
      }
      result.peakRssMB = (await proc.send({ cmd: 'exit' })).peakRssMB;
    } catch (error) {
      result.error ??= error.message;
    }
    proc.kill();
  }
  return { ...config, flopsPerSample: flopsPerSample(config.layers), contenders: results };
}

/** `--render`: rewrite BENCHMARKS.md from the last results JSON (e.g. after editing notes.md). */
function renderOnly() {
  const report = JSON.parse(readFileSync(join(repoRoot, 'bench', 'results', 'benchmarks.json'), 'utf8'));
  writeFileSync(join(repoRoot, 'BENCHMARKS.md'), renderMarkdown(report));
}

async function main() {
  if (flag('render')) return renderOnly();
  const started = new Date();
  const load = { start: loadavg() };
  const data = loadData({ synthetic: flag('synthetic'), trainSize: smoke ? 2048 : undefined });
  log(`data: ${data.source}; ${data.train.size} train / ${data.test.size} test`);
  const contenders = availableContenders({ only });
  log(`contenders: ${contenders.map((c) => c.id).join(', ')}`);
  const results = [];
  for (const config of configs) {
    if (config.gemm) config.gemmShapes = [[config.batch, 784, 256], [1000, 784, 784]];
    results.push(await runConfig(config, data, contenders));
  }
  // GEMM throughput on the shapes the networks run, against the measured WASM-SIMD peak.
  const shapes = smoke
    ? layerGemms(32, 784, 16, true)
    : [
        ['headline 128×784·784×256', false, false, 128, 256, 784],
        ...layerGemms(128, 784, 256, true),
        ...layerGemms(128, 256, 128, false),
        ...layerGemms(1000, 784, 784, false),
      ];
  const skipGemm = flag('no-gemm');
  if (!skipGemm) log('GEMM throughput…');
  const gemm = skipGemm ? { one: [], two: [] } : { one: await measureGemms(shapes, 1), two: await measureGemms(shapes, 2) };
  const peak = skipGemm ? null : await measureWasmPeak(2);
  load.end = loadavg();
  const report = {
    date: started.toISOString(),
    command: smoke ? 'pnpm --filter @scratchnet/bench run test (smoke)' : `pnpm bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGB: totalmem() / 2 ** 30, node: process.version, platform: `${process.platform} ${process.arch}`, load },
    data: { source: data.source, train: data.train.size, test: data.test.size },
    rounds,
    capSeconds: cap,
    networks: results,
    gemm,
    peak,
  };
  // A partial run (--only / --configs) must not overwrite the full report: it goes to the cache.
  const partial = smoke || option('only') !== undefined || option('configs') !== undefined;
  const outDir = partial ? cacheDir : join(repoRoot, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const name = smoke ? 'smoke' : partial ? 'partial' : 'benchmarks';
  writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  const markdown = renderMarkdown(report);
  writeFileSync(partial ? join(cacheDir, `${name.toUpperCase()}.md`) : join(repoRoot, 'BENCHMARKS.md'), markdown);
  if (partial && !smoke) log(`partial run: written to ${join(cacheDir, 'PARTIAL.md')} (BENCHMARKS.md is only rewritten by a full run)`);
  console.log(markdown);
  const failed = results.flatMap((r) => Object.values(r.contenders).filter((c) => c.error).map((c) => `${r.name} ${c.id}: ${c.error}`));
  if (smoke) {
    // The smoke run must prove the pipeline end to end: every scratchnet contender trained and
    // learned something (10 classes: chance is 0.1).
    const bad = Object.values(results[0].contenders).filter((c) => c.error || !(c.samplesPerSecond > 0) || !(c.testAccuracy > 0.3));
    if (bad.length) {
      console.error(`bench smoke failed: ${bad.map((c) => `${c.id} ${c.error ?? `accuracy ${c.testAccuracy}`}`).join('; ')}`);
      process.exit(1);
    }
  } else if (failed.length) console.error(`some contenders failed:\n${failed.join('\n')}`);
}

await main();

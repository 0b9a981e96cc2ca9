// `pnpm bench`: trains the same networks on the same data with Adam (lr 1e-3) in every contender,
// interleaved (round r runs one epoch of every contender before round r+1 starts, each in its own
// process, never two at once), and writes BENCHMARKS.md and bench/results/benchmarks.json.
//
//   node src/run-bench.mjs [--smoke] [--rounds 5] [--cap 4] [--only id,id] [--configs 0,3|lenet5,…] [--cnn-only] [--no-gemm]
//                          [--train-size N] [--test-size N]
//
// --configs takes indexes into MLP_CONFIGS followed by CNN_CONFIGS (0–4 MLPs, 5–7 CNNs) or names
// (a config's name or its preset: `--configs lenet5`); --cnn-only runs the CNN rows alone.
// --train-size / --test-size take the first N images of each split (quick checks). Any of these
// options makes a partial run, written to bench/.cache/ and never over BENCHMARKS.md.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { ContenderProcess } from './contender-process.mjs';
import { CNN_ARCHITECTURES, parseArchitecture, summarizeModel } from '@scratchnet/core';
import { gemmLayerFlops, trainingFlops } from './cnn-contenders.mjs';
import { availableContenders, runsOn } from './contenders.mjs';
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

const MLP_CONFIGS = [
  { name: '784-16-16-10 b32', layers: [784, 16, 16, 10], activations: ['relu', 'relu'], batch: 32 },
  { name: '784-128-10 b64', layers: [784, 128, 10], activations: ['relu'], batch: 64 },
  { name: '784-128-10 b128', layers: [784, 128, 10], activations: ['relu'], batch: 128 },
  { name: '784-256-128-10 b128', layers: [784, 256, 128, 10], activations: ['relu', 'relu'], batch: 128, inference: true, gemm: true },
  { name: '784-784-784-784-10 b1000 (relu, selu, tanh)', layers: [784, 784, 784, 784, 10], activations: ['relu', 'selu', 'tanh'], batch: 1000 },
];
// CNN rows (issue #12): core's presets, trained through fit() like the MLPs. `convnetjs: true`
// where ConvNetJS trains the same net (its MNIST demo net).
const cnn = (preset, batch, extra = {}) => ({ name: `${preset} b${batch}`, preset, arch: CNN_ARCHITECTURES[preset], batch, ...extra });
const CNN_CONFIGS = [cnn('convnetjs-mnist', 20, { convnetjs: true }), cnn('lenet5', 64), cnn('cnn-32-64', 64)];
const CONFIGS = [...MLP_CONFIGS, ...CNN_CONFIGS];
// The smoke run's CNN: one small conv layer, so `pnpm test` exercises every CNN path in seconds.
const SMOKE_CNN = { name: 'smoke-cnn b32', arch: '1x28x28-conv(4,5,pad=2)-relu-maxpool(2)-flatten-10', batch: 32, convnetjs: true };

function selectConfigs() {
  if (smoke) return [{ ...MLP_CONFIGS[0], inference: true }, SMOKE_CNN];
  const pool = flag('cnn-only') ? CNN_CONFIGS : CONFIGS;
  if (!option('configs')) return pool;
  // With --cnn-only, --configs picks among the CNN rows (so `--cnn-only --configs lenet5` is one row).
  return option('configs').split(',').map((key) => {
    const config = /^\d+$/.test(key) ? CONFIGS[Number(key)] : CONFIGS.find((c) => c.name === key || c.preset === key);
    if (!config || !pool.includes(config)) throw new Error(`--configs: no config '${key}' (indexes 0–${CONFIGS.length - 1}, or one of: ${pool.map((c) => c.preset ?? c.name).join(', ')})`);
    return config;
  });
}

const rounds = Number(option('rounds', smoke ? 1 : 5));
const cap = Number(option('cap', smoke ? 2 : 4));
const configs = selectConfigs();
const only = option('only')?.split(',') ?? (smoke ? ['scratchnet-wasm', 'scratchnet-wasm-threads', 'scratchnet-js', 'convnetjs'] : undefined);

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

/** A CNN config's ModelSpec, its layers as PyTorch prints them, and its GEMM layers' flops. */
function describeCnn(config) {
  const spec = parseArchitecture(config.arch);
  const summary = summarizeModel(spec);
  const gemmLayers = gemmLayerFlops(summary);
  return {
    spec,
    modules: summary.map((l) => l.description),
    gemmLayers,
    flopsPerSample: gemmLayers.reduce((sum, l) => sum + trainingFlops(l), 0),
  };
}

async function runConfig(config, data, allContenders) {
  const cnnInfo = config.arch ? describeCnn(config) : null;
  const shared = cnnInfo
    ? { spec: cnnInfo.spec, batch: config.batch, files: data.files, seed: 1 }
    : { layers: config.layers, activations: config.activations, batch: config.batch, files: data.files, seed: 1 };
  const contenders = allContenders.filter((c) => runsOn(c, config));
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
        if (r.error) throw new Error(r.error);
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
        if (cnnInfo && (c.group === 'scratchnet' || c.group === 'torch')) result.convLayers = (await proc.send({ cmd: 'layerProfile', seconds: smoke ? 0.05 : 0.3 })).layers;
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
  if (cnnInfo) return { ...config, kind: 'cnn', modules: cnnInfo.modules, gemmLayers: cnnInfo.gemmLayers, flopsPerSample: cnnInfo.flopsPerSample, contenders: results };
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
  const trainSize = option('train-size') ? Number(option('train-size')) : smoke ? 2048 : undefined;
  const testSize = option('test-size') ? Number(option('test-size')) : smoke ? 2000 : undefined;
  const data = loadData({ synthetic: flag('synthetic'), trainSize, testSize });
  log(`data: ${data.source}; ${data.train.size} train / ${data.test.size} test`);
  const contenders = availableContenders({ only });
  log(`contenders: ${contenders.map((c) => c.id).join(', ')}`);
  const results = [];
  for (const config of configs) {
    if (config.gemm) config.gemmShapes = [[config.batch, 784, 256], [1000, 784, 784]];
    results.push(await runConfig(config, data, contenders));
  }
  // GEMM throughput on the shapes the networks run, against the measured WASM-SIMD peak (the
  // MLP shapes only when MLPs ran; the CNN rows take their conv layers' own timings).
  const mlpRan = configs.some((c) => !c.arch);
  const shapes = smoke
    ? layerGemms(32, 784, 16, true)
    : mlpRan
      ? [
          ['headline 128×784·784×256', false, false, 128, 256, 784],
          ...layerGemms(128, 784, 256, true),
          ...layerGemms(128, 256, 128, false),
          ...layerGemms(1000, 784, 784, false),
        ]
      : [];
  const skipGemm = flag('no-gemm');
  if (!skipGemm) log('GEMM throughput…');
  const gemm = skipGemm ? { one: [], two: [] } : { one: await measureGemms(shapes, 1), two: await measureGemms(shapes, 2) };
  // The smoke run only proves the path: a tenth of the peak loop keeps `pnpm test` short.
  const peak = skipGemm ? null : await measureWasmPeak(2, smoke ? { iterations: 2e7 } : {});
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
  const partial = smoke || ['only', 'configs', 'train-size', 'test-size'].some((name) => option(name) !== undefined) || flag('cnn-only');
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
    // The smoke run must prove the pipeline end to end: every contender trained and learned
    // something (10 classes: chance is 0.1) on the MLP and on the CNN, and the conv layers were timed.
    const problems = results.flatMap((r) => {
      const expected = ['scratchnet-wasm', 'scratchnet-wasm-threads', ...(r.kind === 'cnn' && only.includes('convnetjs') ? ['convnetjs'] : [])];
      const missing = expected.filter((id) => !r.contenders[id]).map((id) => `${r.name} ${id}: did not start`);
      const failing = Object.values(r.contenders).flatMap((c) => {
        if (c.error) return [`${r.name} ${c.id}: ${c.error}`];
        if (!(c.samplesPerSecond > 0) || !(c.testAccuracy > 0.3)) return [`${r.name} ${c.id}: accuracy ${c.testAccuracy}`];
        if (r.kind === 'cnn' && c.group === 'scratchnet' && !(c.convLayers?.[0]?.stepMicros > 0)) return [`${r.name} ${c.id}: conv layers not timed`];
        return [];
      });
      return [...missing, ...failing];
    });
    if (problems.length) {
      console.error(`bench smoke failed: ${problems.join('; ')}`);
      process.exit(1);
    }
  } else if (failed.length) console.error(`some contenders failed:\n${failed.join('\n')}`);
}

await main();

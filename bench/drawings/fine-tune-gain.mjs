#!/usr/bin/env node
// Does the desktop's "Teach it your handwriting" fine-tune help a writer the model misreads?
// Drawings of hard writers (handwriting fonts the models read worst, generate_drawings.py) are
// brought to 28×28 exactly as the Draw and Teach screens do (`preprocessDigit` with
// `mnistPreprocessOptions()`), then each writer's drawings go through the app's own fine-tune
// (the desktop's fine-tune-data.ts and TrainingSession, bundled here with esbuild) in folds: every
// 5th drawing held out as the Teach screen does, the rest fine-tuned on; held-out accuracy before
// and after, summed over folds and writers, and the offline test digits before and after.
//
//   node bench/drawings/fine-tune-gain.mjs [--writers delphine,kristi] [--per-digit 3] [--seed 21]
//        [--folds 5] [--set key=value ...] [--report FILE] [--fixture DIR] [--idx DIR ...]
//        [--start quick|lenet5|…]
//
// --set overrides a FINE_TUNE setting for a candidate (epochs=10, learningRate=0.001,
// augment=rotate=10,shift=2,scale=0.1, drawingsPerBaseDigit=1, baseDigits=1200).
// --idx DIR reads a Teach screen's downloaded folder (the four IDX files) as one more writer,
// its training drawings first, then the held-out ones (--writers '' for those alone); with
// --own-split, one run on the folder's own split instead of folds (what the app measured).
// --start names the desktop preset the starting model is trained with (default: quick, the Draw
// screen's "Quick train"), on the offline digits less the app's 10 % validation split.
// --fixture writes the first writer's drawings, as the network sees them, to DIR as an IDX pair
// (images-idx3-ubyte, labels-idx1-ubyte): the desktop's fine-tune test and Teach e2e test use it.
// Needs the packages built (`pnpm turbo run build`) and /usr/bin/python3 with PIL. Results: FINE-TUNE-GAIN.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const desktop = join(root, 'packages/desktop');
const cache = join(here, '.cache');
const python = process.env.PYTHON ?? '/usr/bin/python3';

const { values } = parseArgs({
  options: {
    writers: { type: 'string', default: 'delphine,kristi' },
    'per-digit': { type: 'string', default: '3' },
    seed: { type: 'string', default: '21' },
    folds: { type: 'string', default: '5' },
    set: { type: 'string', multiple: true, default: [] },
    report: { type: 'string' },
    fixture: { type: 'string' },
    idx: { type: 'string', multiple: true, default: [] },
    'own-split': { type: 'boolean', default: false },
    start: { type: 'string', default: 'quick' },
  },
});
const fontWriters = values.writers.split(',').filter(Boolean);
const writers = [...fontWriters, ...values.idx.map((dir) => basename(resolve(dir)))];
const folds = Number(values.folds);

/** The app's fine-tune code, bundled from the desktop's TypeScript (the @scratchnet packages stay external: bench has them). */
async function loadApp() {
  const requireFromTsup = createRequire(createRequire(import.meta.url).resolve('tsup'));
  const esbuild = requireFromTsup('esbuild');
  const outfile = join(cache, 'fine-tune-app.mjs');
  const src = 'packages/desktop/src/renderer/src';
  await esbuild.build({
    stdin: {
      contents: [
        `export { FINE_TUNE, fineTuneConfig, mixForFineTune } from './${src}/teach/fine-tune-data.ts';`,
        `export { TrainingSession, modelFromSnapshot, toDataset } from './${src}/training/training-session.ts';`,
        `export { evaluateDataset } from './${src}/training/evaluate-dataset.ts';`,
        `export { splitValidation } from './${src}/data/dataset-catalog.ts';`,
        `export { presetById } from './${src}/train/presets.ts';`,
        `export { digitBytes } from './${src}/teach/handwriting-set.ts';`,
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile,
    external: ['@scratchnet/*'],
    logLevel: 'error',
  });
  return import(pathToFileURL(outfile).href);
}

/** The writers' drawings as RGBA canvases (PIL converts every style), with labels. */
function loadDrawings() {
  if (fontWriters.length === 0) return [];
  const dir = join(cache, `teach-s${values.seed}-n${values['per-digit']}-${fontWriters.join('+')}`);
  if (!existsSync(join(dir, 'manifest.json'))) {
    execFileSync(python, [join(here, 'generate_drawings.py'), dir, '--per-digit', values['per-digit'], '--seed', values.seed, '--writers', fontWriters.join(',')], { stdio: 'inherit' });
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const raw = join(dir, 'rgba.bin');
  if (!existsSync(raw)) {
    const script = `import json,sys
from PIL import Image
m=json.load(open(sys.argv[1]+'/manifest.json'))
with open(sys.argv[2],'wb') as out:
    for d in m['drawings']:
        out.write(Image.open(sys.argv[1]+'/'+d['file']).convert('RGBA').tobytes())`;
    execFileSync(python, ['-c', script, dir, raw]);
  }
  const bytes = readFileSync(raw);
  const side = manifest.canvas;
  return manifest.drawings.map((d, i) => ({ ...d, rgba: bytes.subarray(i * side * side * 4, (i + 1) * side * side * 4), side }));
}

function digitSet(items) {
  const images = new Uint8Array(items.length * 784);
  items.forEach((d, k) => images.set(d.pixels, k * 784));
  return { count: items.length, images, labels: Uint8Array.from(items, (d) => d.label) };
}

function parseOverrides(list) {
  const out = {};
  for (const item of list) {
    const at = item.indexOf('=');
    const key = item.slice(0, at);
    const value = item.slice(at + 1);
    out[key] = /^[0-9.]+$/.test(value) ? Number(value) : value;
  }
  return out;
}

async function main() {
  const core = await import('@scratchnet/core');
  const { encodeIdx, mnistPreprocessOptions, preprocessDigit, parseIdx } = await import('@scratchnet/datasets');
  await core.useFastestBackend({ threads: 1 });
  const app = await loadApp();
  const overrides = parseOverrides(values.set);
  const settings = { ...app.FINE_TUNE, ...overrides };
  const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

  // The base data as the app ships it (src/generated after a desktop build).
  const offline = join(desktop, 'src/generated/public/offline-digits');
  const split = (prefix) => {
    const images = parseIdx(gunzipSync(readFileSync(join(offline, `digits-${prefix}-images-idx3-ubyte.gz`))));
    const labels = parseIdx(gunzipSync(readFileSync(join(offline, `digits-${prefix}-labels-idx1-ubyte.gz`))));
    return { source: prefix, count: images.dims[0], rows: 28, cols: 28, images: images.data, labels: labels.data };
  };
  const base = split('train');
  const baseTest = split('test');

  const run = async (init) => {
    let before = Number.NaN;
    let finished;
    let failure = '';
    await new app.TrainingSession(init, (event) => {
      if (event.type === 'started') before = event.baselineValidationAccuracy;
      if (event.type === 'finished') finished = event;
      if (event.type === 'failed') failure = event.message;
    }).run();
    if (!finished) throw new Error(`the run failed: ${failure}`);
    return { snapshot: finished.snapshot, before, after: finished.snapshot.training.finalMetrics.val_accuracy };
  };
  const accuracy = (snapshot, bytes) => {
    const model = app.modelFromSnapshot(snapshot);
    const value = app.evaluateDataset(model, app.toDataset(bytes, DIGITS)).accuracy;
    model.dispose();
    return value;
  };

  // The starting model: by default the desktop's quick model, trained as the Draw screen's "Quick train" does.
  const preset = app.presetById(values.start);
  if (!preset) throw new Error(`--start: no desktop preset "${values.start}"`);
  const { train: startTrain, validation } = app.splitValidation(base, 0.1);
  const start = (await run({ runId: 1, config: preset.config, datasetLabel: 'offline digits', classNames: DIGITS, train: startTrain, validation })).snapshot;
  const startTest = accuracy(start, baseTest);

  const drawings = loadDrawings().map((d) => {
    const input = preprocessDigit({ width: d.side, height: d.side, data: d.rgba, channels: 4 }, mnistPreprocessOptions());
    return { ...d, pixels: app.digitBytes(input) };
  });
  for (const dir of values.idx) {
    for (const split of ['train', 't10k']) {
      const images = parseIdx(readFileSync(join(dir, `${split}-images-idx3-ubyte`))).data;
      const labels = parseIdx(readFileSync(join(dir, `${split}-labels-idx1-ubyte`))).data;
      labels.forEach((label, i) => drawings.push({ writer: basename(resolve(dir)), label, pixels: images.subarray(i * 784, (i + 1) * 784), heldOut: split === 't10k' }));
    }
  }

  if (values.fixture) {
    const mine = digitSet(drawings.filter((d) => d.writer === writers[0]));
    mkdirSync(values.fixture, { recursive: true });
    writeFileSync(join(values.fixture, 'images-idx3-ubyte'), encodeIdx({ type: 'ubyte', dims: [mine.count, 28, 28], data: mine.images }));
    writeFileSync(join(values.fixture, 'labels-idx1-ubyte'), encodeIdx({ type: 'ubyte', dims: [mine.count], data: mine.labels }));
  }

  const config = { ...app.fineTuneConfig(start), epochs: settings.epochs, learningRate: settings.learningRate, batchSize: settings.batchSize, augment: settings.augment, seed: settings.seed };
  const rows = [];
  let totalBefore = 0;
  let totalAfter = 0;
  let totalHeld = 0;
  const testAfter = [];
  const started = Date.now();
  for (const writer of writers) {
    const mine = drawings.filter((d) => d.writer === writer);
    let wb = 0;
    let wa = 0;
    let held = 0;
    const perFold = [];
    const ownSplit = values['own-split'] && mine.some((d) => d.heldOut);
    for (let fold = 0; fold < (ownSplit ? 1 : folds); fold++) {
      const isHeldOut = (d, i) => (ownSplit ? d.heldOut : i % folds === fold);
      const heldOut = digitSet(mine.filter((d, i) => isHeldOut(d, i)));
      const train = digitSet(mine.filter((d, i) => !isHeldOut(d, i)));
      const result = await run({
        runId: 2,
        config,
        datasetLabel: 'your handwriting + offline digits',
        datasetName: 'handwriting',
        classNames: DIGITS,
        train: app.mixForFineTune(train, base, { baseDigits: settings.baseDigits, drawingsPerBaseDigit: settings.drawingsPerBaseDigit }),
        validation: { source: 'held out', rows: 28, cols: 28, ...heldOut },
        initial: start,
      });
      const b = Math.round(result.before * heldOut.count);
      const a = Math.round(result.after * heldOut.count);
      perFold.push(`${b}→${a}`);
      wb += b;
      wa += a;
      held += heldOut.count;
      totalHeld += heldOut.count;
      testAfter.push(accuracy(result.snapshot, baseTest));
    }
    rows.push({ writer, count: mine.length, held, before: wb, after: wa, perFold });
    totalBefore += wb;
    totalAfter += wa;
  }
  const pct = (x) => `${(x * 100).toFixed(1)} %`;
  const lines = [
    `settings: ${JSON.stringify(settings)}`,
    `starting model: the desktop's ${preset.id} preset (${preset.config.architecture}), on the ${baseTest.count} offline test digits ${pct(startTest)}`,
    '',
    `| writer | drawings | held out read right, before → after (${values['own-split'] ? 'the folder\'s own split' : 'sum of folds'}) | per fold |`,
    '|---|---:|---:|---|',
    ...rows.map((r) => `| ${r.writer} | ${r.count} | ${r.before} → ${r.after} of ${r.held} | ${r.perFold.join(', ')} |`),
    `| **all** | ${totalHeld} | **${totalBefore} → ${totalAfter}** (${pct(totalBefore / totalHeld)} → ${pct(totalAfter / totalHeld)}) | |`,
    '',
    `offline test digits after fine-tuning: ${pct(Math.min(...testAfter))}–${pct(Math.max(...testAfter))} (mean ${pct(testAfter.reduce((s, x) => s + x, 0) / testAfter.length)}); before ${pct(startTest)}`,
    `${writers.length * folds} fine-tunes in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  ];
  const text = lines.join('\n');
  console.log(text);
  if (values.report) writeFileSync(values.report, `${text}\n`);
}

mkdirSync(cache, { recursive: true });
await main();

import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { CNN_ARCHITECTURES, type OptimizerType, buildModel, evaluate, isLayerArchitecture, useFastestBackend } from '@scratchnet/core';
import { storedEpochRecord } from '@scratchnet/model-format';
import type { Command } from 'commander';
import { badFlag } from '../errors/cli-error.js';
import { checkOutPath } from '../lib/check-out-path.js';
import { saveCheckpointFile } from '../lib/checkpoint-io.js';
import { refuseNonRegular } from '../lib/regular-file.js';
import { loadTrainingData } from '../lib/training-data.js';
import { parseChoice, parseFraction, parseList, parsePositiveInteger, parsePositiveNumber } from '../options/parse-values.js';
import { OPTIMIZERS } from '../options/train-settings.js';
import { choiceOption } from '../help/choice-option.js';
import { withExamples } from '../help/examples.js';
import { knownDatasets } from '../lib/training-data.js';
import { Reporter, pickOutputMode } from '../output/reporter.js';
import { formatTable, percent } from '../output/table.js';
import { terminalLine } from '../output/terminal-text.js';
import { checkModelFitsData } from '../lib/model-spec.js';
import { type SearchSpace, type TrialConfig, architectureFor, configKey, gridConfigs, randomConfigs, trialSpec } from '../tune/search-space.js';
import type { TrialJob } from '../tune/trial-runner.js';
import { TRIAL_CSV_HEADER, type TrialResult, bestPerConfig, compareTrials, formatTrialRow, readTrialCsv } from '../tune/trial-csv.js';
import { type TrialOutcome, runOnWorkers } from '../tune/worker-pool.js';

interface TuneFlags {
  search: string;
  trials: string;
  lr: string;
  batchSize: string;
  hidden: string;
  activations: string;
  arch?: string;
  optimizer: string;
  seeds: string;
  epochs: string;
  valSplit: string;
  trainLimit?: string;
  dataset: string;
  dataDir?: string;
  workers?: string;
  csv: string;
  out: string;
  json?: boolean;
}

/** `scratchnet-cli tune`: grid or random search, several seeds per configuration, on worker threads. */
export function registerTuneCommand(program: Command): void {
  const command = program
    .command('tune')
    .description('hyperparameter search: grid or random, several seeds each, trials in parallel on worker threads')
    .addOption(choiceOption('--search <kind>', 'grid: every combination; random: --trials draws', ['grid', 'random']).default('grid'))
    .option('--trials <n>', 'configurations to draw for random search', '20')
    .option('--lr <list>', 'learning rates (random search: log-uniform between min and max)', '0.01,0.001')
    .option('--batch-size <list>', 'batch sizes', '64')
    .option('--hidden <list>', "hidden layer sizes per configuration, e.g. '16-16,128'", '128')
    .option('--activations <list>', "activation choices separated by '/', e.g. 'relu/tanh/relu,selu,tanh'", 'relu')
    .option('--arch <arch>', `a fixed architecture instead of --hidden/--activations: a CNN preset (${Object.keys(CNN_ARCHITECTURES).join(', ')}) or the layer-by-layer syntax, e.g. 1x28x28-conv(8,5,pad=2)-relu-maxpool(2)-flatten-10`)
    .addOption(choiceOption('--optimizer <list>', 'optimizers, comma-separated', OPTIMIZERS).default('adam'))
    .option('--seeds <n>', 'seeds per configuration (1…n)', '3')
    .option('--epochs <n>', 'epochs per trial', '3')
    .option('--val-split <fraction>', 'validation share used to compare trials', '0.1')
    .option('--train-limit <n>', 'train on the first n training images only')
    .addOption(choiceOption('--dataset <name>', 'data set', knownDatasets()).default('mnist'))
    .option('--data-dir <dir>', 'folder holding the IDX files')
    .option('--workers <n>', 'parallel trials (default: number of cores)')
    .option('--csv <file>', 'one row per trial; finished trials in it are skipped on a re-run', 'tune.csv')
    .option('--out <file>', 'where the best model is saved', 'tune-best.safetensors')
    .option('--json', 'one JSON object per line on stdout (events: start, trial, done) instead of text')
    .action(async (flags: TuneFlags) => {
      process.exitCode = await runTune(flags);
    });
  withExamples(command, [
    ["scratchnet-cli tune --lr 0.01,0.001 --hidden '64,128-64' --epochs 2", 'a grid of 4 configurations × 3 seeds; trials on stderr, the summary on stdout'],
    ['scratchnet-cli tune --search random --trials 10 --lr 0.0001,0.01 --seeds 1', 'random search, learning rates drawn log-uniformly'],
  ]);
}

async function runTune(flags: TuneFlags): Promise<number> {
  // Trials and notices on stderr; the summary and the best model on stdout (or JSON events there).
  const reporter = new Reporter(pickOutputMode(flags.json));
  const search = parseChoice('--search', flags.search, ['grid', 'random'] as const);
  const space: SearchSpace = {
    lr: parseList('--lr', flags.lr, (f, v) => parsePositiveNumber(f, v, 0.001)),
    batchSize: parseList('--batch-size', flags.batchSize, (f, v) => parsePositiveInteger(f, v, 64)),
    hidden: flags.hidden.split(',').map((h) => h.trim()).map((h) => {
      if (h !== '' && !/^\d+(-\d+)*$/.test(h)) throw badFlag(`--hidden: '${h}' is not a list of sizes like 128-64`);
      return h;
    }),
    activations: flags.activations.split('/').map((a) => a.trim()).filter(Boolean),
    optimizer: parseList('--optimizer', flags.optimizer, (f, v) => parseChoice(f, v, OPTIMIZERS)),
    arch: fixedArchitecture(flags.arch),
  };
  const seeds = parsePositiveInteger('--seeds', flags.seeds, 3);
  const epochs = parsePositiveInteger('--epochs', flags.epochs, 3);
  const valSplit = parseFraction('--val-split', flags.valSplit, 1, 0.1);
  if (valSplit === 0) throw badFlag('--val-split: tune compares trials on validation data; try --val-split 0.1');
  const workers = flags.workers === undefined ? availableParallelism() : parsePositiveInteger('--workers', flags.workers, availableParallelism());
  const trainLimit = flags.trainLimit === undefined ? undefined : parsePositiveInteger('--train-limit', flags.trainLimit, 1000);
  const configs = search === 'grid' ? gridConfigs(space) : randomConfigs(space, parsePositiveInteger('--trials', flags.trials, 20), 1);

  // Where results go is checked before any work: never a FIFO, device or folder.
  checkOutPath(flags.out);
  refuseNonRegular(flags.csv, '--csv');
  // Validate every configuration's architecture and activations before starting any worker.
  await useFastestBackend();
  const request = { dataset: flags.dataset, dataDir: flags.dataDir, valSplit, seed: 0, trainLimit };
  const data = await loadTrainingData(request, (t) => reporter.note(terminalLine(t)));
  for (const c of configs) {
    checkModelFitsData(trialSpec(c, data.inputSize, data.classNames.length), architectureFor(c, data.inputSize, data.classNames.length), {
      name: terminalLine(data.name),
      inputSize: data.inputSize,
      shape: data.train.shape,
      classCount: data.classNames.length,
    });
  }

  const previous = readTrialCsv(flags.csv);
  const done = new Set(previous.map((r) => `${r.config}|${r.seed}`));
  const jobs: Array<{ config: TrialConfig; seed: number }> = [];
  for (const config of configs) for (let seed = 1; seed <= seeds; seed++) if (!done.has(`${configKey(config)}|${seed}`)) jobs.push({ config, seed });
  const total = configs.length * seeds;
  reporter.event('start', { search, configurations: configs.length, seeds, trials: total, skipped: total - jobs.length, epochs, dataset: data.name, workers: Math.min(workers, Math.max(jobs.length, 1)) });
  reporter.note(
    `${search} search: ${configs.length} configuration${configs.length === 1 ? '' : 's'} × ${seeds} seed${seeds === 1 ? '' : 's'} = ${total} trial${total === 1 ? '' : 's'} of ${epochs} epoch${epochs === 1 ? '' : 's'} on ${terminalLine(data.name)} (${data.train.size} train, ${data.validation?.size ?? 0} validation)` +
      `${total - jobs.length > 0 ? `; ${total - jobs.length} already in ${flags.csv}, skipped` : ''}; ${Math.min(workers, Math.max(jobs.length, 1))} workers`,
  );
  if (!existsSync(flags.csv)) writeFileSync(flags.csv, TRIAL_CSV_HEADER);

  const results: TrialResult[] = [...previous];
  // The best validation accuracy after each epoch among finished trials: the hopeless bar.
  const bar: number[] = [];
  for (const r of previous) if (r.status === 'done' && r.epochs >= 1) bar[r.epochs - 1] = Math.max(bar[r.epochs - 1] ?? 0, r.valAccuracy);
  let best: TrialOutcome | undefined;
  let finished = 0;
  const queue = [...jobs];
  const started = Date.now();
  if (queue.length > 0) {
    await runOnWorkers(
      Math.min(workers, queue.length),
      new URL('./tune-worker.js', import.meta.url),
      request,
      (): TrialJob | null => {
        const job = queue.shift();
        // The bar as it stands when the trial starts.
        return job ? { ...job, epochs, bar: Array.from(bar, (v) => v ?? 0) } : null;
      },
      (outcome) => {
        const r = outcome.result;
        finished++;
        results.push(r);
        appendFileSync(flags.csv, formatTrialRow(r));
        if (r.status === 'done') for (const [e, v] of outcome.curve.entries()) bar[e] = Math.max(bar[e] ?? 0, v);
        if (r.status === 'done' && (!best || compareTrials(r, best.result) < 0)) best = outcome;
        reporter.event('trial', { ...r });
        reporter.note(
          `[${String(finished).padStart(String(jobs.length).length)}/${jobs.length}] ${r.config} seed ${r.seed}: ${r.status === 'done' ? `val acc ${percent(r.valAccuracy)}` : `${r.status} after ${r.epochs} epoch${r.epochs === 1 ? '' : 's'} (val acc ${percent(r.valAccuracy)})`}  ${r.seconds.toFixed(1)}s`,
        );
      },
    );
  }

  const summary = bestPerConfig(results.filter((r) => configs.some((c) => configKey(c) === r.config)));
  reporter.result(`\nbest seed per configuration (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  reporter.result(
    `${formatTable([
      ['configuration', 'best seed', 'val acc', 'val loss', 'mean val acc'],
      ...summary.map((b) => {
        const runs = results.filter((r) => r.config === b.config);
        const mean = runs.reduce((s, r) => s + r.valAccuracy, 0) / runs.length;
        // Configurations may come from an earlier run's CSV file: no control characters.
        return [terminalLine(b.config), String(b.seed), percent(b.valAccuracy), b.valLoss.toFixed(4), percent(mean)];
      }),
    ])}`,
  );

  const winner = summary[0];
  if (best && winner && best.result.config === winner.config && best.result.seed === winner.seed) {
    const spec = trialSpec(bestConfig(configs, best.result.config), data.inputSize, data.classNames.length);
    const model = buildModel(spec);
    model.loadStateDict(Object.fromEntries(best.tensors.map((t) => [t.name, { shape: t.shape, data: t.data }])) as never);
    const test = evaluate(model, data.test);
    await saveCheckpointFile(flags.out, {
      model,
      classNames: data.classNames,
      training: {
        dataset: data.record,
        hyperparameters: {
          dataset: flags.dataset,
          arch: architectureFor(bestConfig(configs, best.result.config), data.inputSize, data.classNames.length),
          activations: best.result.activations,
          optimizer: best.result.optimizer as OptimizerType,
          lr: best.result.lr,
          batchSize: best.result.batchSize,
          epochs,
          loss: 'ce',
          seed: best.result.seed,
          valSplit,
          tune: best.result.config,
        },
        seed: best.result.seed,
        epochs: best.result.epochs,
        finalMetrics: { val_accuracy: best.result.valAccuracy, val_loss: best.result.valLoss, test_accuracy: test.accuracy, test_loss: test.loss },
        history: best.history.map((row) => storedEpochRecord(row)),
      },
    });
    reporter.result(`\nbest: ${winner.config} seed ${winner.seed} — val acc ${percent(winner.valAccuracy)}, test acc ${percent(test.accuracy)}; saved ${flags.out}`);
    reporter.event('done', { best: winner, testAccuracy: test.accuracy, out: flags.out, summary });
  } else if (winner) {
    reporter.result(`\nbest: ${terminalLine(winner.config)} seed ${winner.seed} — val acc ${percent(winner.valAccuracy)} (from an earlier run${existsSync(flags.out) ? `; its model is ${flags.out}` : ''})`);
    reporter.event('done', { best: winner, fromEarlierRun: true, out: existsSync(flags.out) ? flags.out : null, summary });
  } else {
    reporter.event('done', { best: null, summary });
  }
  return 0;
}

/** tune --arch: a CNN preset's name or a layer-by-layer architecture (MLPs are searched with --hidden). */
function fixedArchitecture(arch: string | undefined): string | undefined {
  if (arch === undefined) return undefined;
  const named = (CNN_ARCHITECTURES as Record<string, string>)[arch];
  if (named) return named;
  if (!isLayerArchitecture(arch)) {
    throw badFlag(`--arch '${arch}': give a CNN preset (${Object.keys(CNN_ARCHITECTURES).join(', ')}) or a layer-by-layer architecture; search MLP sizes with --hidden instead`);
  }
  return arch;
}

/** The configuration a result row names. */
function bestConfig(configs: TrialConfig[], key: string): TrialConfig {
  return configs.find((c) => configKey(c) === key)!;
}

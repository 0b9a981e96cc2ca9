import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { CNN_ARCHITECTURES, buildModel, evaluate, isLayerArchitecture, useFastestBackend } from '@scratchnet/core';
import type { Command } from 'commander';
import { badFlag } from '../errors/cli-error.js';
import { checkOutPath } from '../lib/check-out-path.js';
import { saveCheckpointFile } from '../lib/checkpoint-io.js';
import { refuseNonRegular } from '../lib/regular-file.js';
import { type TrainingData, loadTrainingData } from '../lib/training-data.js';
import { parseChoice, parseFraction, parseList, parsePositiveInteger, parsePositiveNumber } from '../options/parse-values.js';
import { OPTIMIZERS } from '../options/train-settings.js';
import { choiceOption } from '../help/choice-option.js';
import { withExamples } from '../help/examples.js';
import { knownDatasets } from '../lib/training-data.js';
import { formatDuration } from '../output/progress-bar.js';
import { Reporter, pickOutputMode } from '../output/reporter.js';
import { formatTable, percent } from '../output/table.js';
import { terminalLine } from '../output/terminal-text.js';
import { checkModelFitsData } from '../lib/model-spec.js';
import { LocalExecutor } from '../tune/local-executor.js';
import { type QueueUrl, checkQueueReachable, parseQueueUrl, redactSecrets } from '../tune/queue-url.js';
import { type SearchSpace, type TrialConfig, architectureFor, configKey, gridConfigs, randomConfigs, trialSpec } from '../tune/search-space.js';
import { TRIAL_CSV_HEADER, type TrialResult, bestPerConfig, compareTrials, formatTrialRow, readTrialCsv, writeTrialCsv } from '../tune/trial-csv.js';
import { trialTrainingRecord } from '../tune/trial-record.js';
import { type FinishedTrial, type TrialExecutor, type TrialTask, runSearch } from '../tune/tune-engine.js';

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
  queue?: string;
  name?: string;
  artifacts?: string;
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
    .option('--workers <n>', 'parallel trials on this machine (default: number of cores; with --queue the workers decide)')
    .option('--csv <file>', 'one row per trial; finished trials in it are skipped on a re-run', 'tune.csv')
    .option('--out <file>', 'where the best model is saved', 'tune-best.safetensors')
    .option('--json', 'one JSON object per line on stdout (events: start, trial, done; with --queue also queued, progress) instead of text')
    .option('--queue <url>', 'run the trials on `scratchnet-cli worker` processes through this Redis server: redis://[:password@]host:port/db')
    .option('--name <search>', 'with --queue: the search\'s name; running it again resumes it (finished trials are reused)')
    .option('--artifacts <dir>', 'with --queue: the shared folder the workers keep checkpoints in (their --artifacts)')
    .action(async (flags: TuneFlags) => {
      process.exitCode = await runTune(flags);
    });
  withExamples(command, [
    ["scratchnet-cli tune --lr 0.01,0.001 --hidden '64,128-64' --epochs 2", 'a grid of 4 configurations × 3 seeds; trials on stderr, the summary on stdout'],
    ['scratchnet-cli tune --search random --trials 10 --lr 0.0001,0.01 --seeds 1', 'random search, learning rates drawn log-uniformly'],
    ['scratchnet-cli tune --lr 0.01,0.001 --seeds 5 --queue redis://10.0.0.5:6379/0 --name lr-sweep', 'one job per trial on Redis for `scratchnet-cli worker`s on any machines; run it again to resume'],
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
  // A queue that cannot be used is said before any data is loaded.
  const queue = queueSettings(flags);
  if (queue) await checkQueueReachable(queue.url);
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

  const settings = { epochs, request: { ...request, valSplit } };
  const total = configs.length * seeds;
  const all: TrialTask[] = [];
  for (const config of configs) for (let seed = 1; seed <= seeds; seed++) all.push({ config, seed });
  // Local: finished trials are the CSV's rows. Queue: Redis holds them, and the CSV is rebuilt from it.
  const previous = queue ? [] : readTrialCsv(flags.csv);
  const done = new Set(previous.map((r) => `${r.config}|${r.seed}`));
  const tasks = all.filter((t) => !done.has(`${configKey(t.config)}|${t.seed}`));
  const results: TrialResult[] = [...previous];
  const byKey = new Map<string, FinishedTrial>();
  let best: FinishedTrial | undefined;
  // BullMQ is loaded only for a queue search: a local tune (and every other command) never pays for it.
  const QueueExecutor = queue ? (await import('../tune/queue-executor.js')).QueueExecutor : undefined;
  const executor: TrialExecutor = queue && QueueExecutor
    ? new QueueExecutor({
        queue: queue.url,
        name: queue.name,
        artifacts: queue.artifacts,
        onPrepared: ({ reused, enqueued }) => {
          reporter.event('queued', { reused, enqueued });
          reporter.note(`${reused} trial${reused === 1 ? '' : 's'} already finished in this search, ${enqueued} enqueued; start workers with \`scratchnet-cli worker --queue ${queue.url.redacted}\``);
        },
        onStatus: (s) => {
          reporter.event('progress', { ...s, best: best ? { config: best.result.config, seed: best.result.seed, valAccuracy: best.result.valAccuracy } : null });
          reporter.note(
            `[done ${s.done}/${s.total} · running ${s.running} · failed ${s.failed}]${best ? ` best ${percent(best.result.valAccuracy)} (${terminalLine(best.result.config)} seed ${best.result.seed})` : ''}${s.etaSeconds === undefined ? '' : ` · ETA ${formatDuration(s.etaSeconds)}`}`,
          );
        },
      })
    : new LocalExecutor(workers, previous);
  const workerCount = Math.min(workers, Math.max(tasks.length, 1));
  reporter.event('start', { search, configurations: configs.length, seeds, trials: total, skipped: total - tasks.length, epochs, dataset: data.name, ...(queue ? { queue: queue.url.redacted, name: queue.name } : { workers: workerCount }) });
  reporter.note(
    `${search} search: ${configs.length} configuration${configs.length === 1 ? '' : 's'} × ${seeds} seed${seeds === 1 ? '' : 's'} = ${total} trial${total === 1 ? '' : 's'} of ${epochs} epoch${epochs === 1 ? '' : 's'} on ${terminalLine(data.name)} (${data.train.size} train, ${data.validation?.size ?? 0} validation)` +
      `${total - tasks.length > 0 ? `; ${total - tasks.length} already in ${flags.csv}, skipped` : ''}; ${queue ? executor.where : `${workerCount} workers`}`,
  );
  if (!queue && !existsSync(flags.csv)) writeFileSync(flags.csv, TRIAL_CSV_HEADER);

  let finished = 0;
  const started = Date.now();
  try {
    await runSearch(executor, tasks, settings, (trial) => {
      const r = trial.result;
      results.push(r);
      byKey.set(`${r.config}|${r.seed}`, trial);
      if (r.status === 'done' && (!best || compareTrials(r, best.result) < 0)) best = trial;
      // Queue: the whole file again (Redis is the record, so a restarted coordinator never doubles a row).
      if (queue) writeTrialCsv(flags.csv, results);
      else appendFileSync(flags.csv, formatTrialRow(r));
      reporter.event('trial', { ...r, ...(trial.reused ? { reused: true } : {}), ...(trial.reason ? { reason: redactSecrets(trial.reason) } : {}) });
      if (trial.reused) return;
      finished++;
      const of = queue ? total : tasks.length;
      reporter.note(
        `[${String(finished).padStart(String(of).length)}/${of}] ${r.config} seed ${r.seed}: ${r.status === 'done' ? `val acc ${percent(r.valAccuracy)}` : `${r.status} after ${r.epochs} epoch${r.epochs === 1 ? '' : 's'} (val acc ${percent(r.valAccuracy)})`}  ${r.seconds.toFixed(1)}s${trial.reason ? ` — ${terminalLine(redactSecrets(trial.reason))}` : ''}`,
      );
    });
    await reportSummary(flags, { configs, results, byKey, data, epochs, valSplit, started, reporter });
  } finally {
    await executor.close();
  }
  return 0;
}

/** The summary table, then the best trial's model (weights from the executor) evaluated on the test set and saved. */
async function reportSummary(
  flags: TuneFlags,
  run: { configs: TrialConfig[]; results: TrialResult[]; byKey: Map<string, FinishedTrial>; data: TrainingData; epochs: number; valSplit: number; started: number; reporter: Reporter },
): Promise<void> {
  const { configs, results, data, reporter } = run;
  const summary = bestPerConfig(results.filter((r) => configs.some((c) => configKey(c) === r.config)));
  reporter.result(`\nbest seed per configuration (${((Date.now() - run.started) / 1000).toFixed(1)}s)`);
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
  const best = winner && winner.status === 'done' ? run.byKey.get(`${winner.config}|${winner.seed}`) : undefined;
  const tensors = best ? await best.weights() : undefined;
  if (best && winner && tensors) {
    const config = bestConfig(configs, best.result.config);
    const model = buildModel(trialSpec(config, data.inputSize, data.classNames.length));
    model.loadStateDict(Object.fromEntries(tensors.map((t) => [t.name, { shape: t.shape, data: t.data }])) as never);
    const test = evaluate(model, data.test);
    await saveCheckpointFile(flags.out, {
      model,
      classNames: data.classNames,
      training: trialTrainingRecord({ config, result: best.result, history: best.history }, data, { dataset: flags.dataset, epochs: run.epochs, valSplit: run.valSplit }, test),
    });
    reporter.result(`\nbest: ${winner.config} seed ${winner.seed} — val acc ${percent(winner.valAccuracy)}, test acc ${percent(test.accuracy)}; saved ${flags.out}`);
    reporter.event('done', { best: winner, testAccuracy: test.accuracy, out: flags.out, summary });
  } else if (winner) {
    reporter.result(`\nbest: ${terminalLine(winner.config)} seed ${winner.seed} — val acc ${percent(winner.valAccuracy)} (from an earlier run${existsSync(flags.out) ? `; its model is ${flags.out}` : ''})`);
    reporter.event('done', { best: winner, fromEarlierRun: true, out: existsSync(flags.out) ? flags.out : null, summary });
  } else {
    reporter.event('done', { best: null, summary });
  }
}

/** --queue, --name and --artifacts, checked together (a queue search needs its name to resume). */
function queueSettings(flags: TuneFlags): { url: QueueUrl; name: string; artifacts?: string } | undefined {
  if (flags.queue === undefined) {
    if (flags.name !== undefined || flags.artifacts !== undefined) throw badFlag('--name and --artifacts go with --queue redis://host:port/db');
    return undefined;
  }
  const url = parseQueueUrl(flags.queue);
  if (!flags.name) throw badFlag('--queue needs --name <search>: the name a re-run resumes by');
  if (!/^[\w.-]{1,64}$/.test(flags.name)) throw badFlag(`--name '${terminalLine(flags.name)}': use up to 64 letters, digits, '.', '_' or '-'`);
  return { url, name: flags.name, artifacts: flags.artifacts === undefined ? undefined : resolve(flags.artifacts) };
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

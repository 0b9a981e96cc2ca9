import {
  type EpochEndInfo,
  type FitOptions,
  type ModelSpec,
  RUN_LOSS_NAMES,
  type TrainerState,
  buildModel,
  evaluate,
  fit,
  DEFAULT_TRAINING_SETTINGS,
  fitArchToData,
  isLayerArchitecture,
  MAX_RUN_THREADS,
  useFastestBackend,
} from '@scratchnet/core';
import { CliError, CliErrorCode } from '../errors/cli-error.js';
import { SIGNAL_EXIT_CODES, type StopSignal } from '../errors/describe-error.js';
import { BASE_SETTINGS, type TrainFlags, type TrainSettings, readRecordedSettings, readSetting, resolveTrainSettings } from '../options/train-settings.js';
import { parseAugmentSpec } from '../options/augment-spec.js';
import { parseSchedule } from '../options/schedule.js';
import { type StoredEpochRecord, storedEpochRecord } from '@scratchnet/model-format';
import { type EpochRow, epochRowFromRecord } from '../output/metrics-csv.js';
import { Reporter, pickOutputMode } from '../output/reporter.js';
import { writeCharts } from '../output/side-files.js';
import { drawTerminalChart } from '../output/terminal-chart.js';
import { percent } from '../output/table.js';
import { terminalLine } from '../output/terminal-text.js';
import { artifactPaths } from './artifact-paths.js';
import { type LoadedCheckpoint, type TrainingRecordInput, loadCheckpointFile, modelOf, saveCheckpointFile } from './checkpoint-io.js';
import { knownDatasets, loadTrainingData } from './training-data.js';
import { parseChoice, parsePositiveInteger } from '../options/parse-values.js';

import { checkOptimizerSettings } from '../options/check-optimizer.js';
import { checkOutPath } from './check-out-path.js';
import { checkModelFitsData, modelSpecFor } from './model-spec.js';
import { loadProgress } from '../output/load-progress.js';
import { acquireOutLock } from './out-lock.js';

/** A sanity cap on --threads (core's, the desktop's threads field has the machine's cores as its cap). */
const MAX_THREADS = MAX_RUN_THREADS;

/** Signals that stop a run the way Ctrl-C does: finish the batch, save a resumable checkpoint, exit 128 + signal number. */
const STOP_SIGNALS = Object.keys(SIGNAL_EXIT_CODES) as StopSignal[];

/** Flags that still apply to a resumed run: where to write and read, output, and speed (threads do not change results). */
const RESUME_FLAGS = ['resume', 'out', 'dataDir', 'json', 'threads'];

/** `--loss` spelling → core's loss name (core's one table). */
export const LOSS_NAMES = RUN_LOSS_NAMES;

/**
 * One `train` run: resolve settings, load data, build (or restore) the model, fit with a
 * checkpoint after every epoch, evaluate on the test set. Ctrl-C, SIGTERM and SIGHUP save a
 * resumable checkpoint and return 130, 143 and 129. Returns the exit status.
 */
export async function runTrain(flags: TrainFlags & { resume?: string; json?: boolean; threads?: string }): Promise<number> {
  const reporter = new Reporter(pickOutputMode(flags.json));
  // --threads beats SCRATCHNET_THREADS, which useFastestBackend reads when no count is given.
  const threads = flags.threads === undefined ? undefined : parsePositiveInteger('--threads', flags.threads, 2, MAX_THREADS);
  const backend = await useFastestBackend(threads === undefined ? {} : { threads });

  let settings: TrainSettings;
  let resumeFrom: TrainerState | undefined;
  let resumed: LoadedCheckpoint | undefined;
  if (flags.resume) {
    resumed = await loadCheckpointFile(flags.resume);
    if (!resumed.trainerState || !resumed.training) {
      throw new CliError(
        CliErrorCode.MODEL_CORRUPT,
        `'${flags.resume}' holds no training state to resume (it is a finished model); start a new run with \`scratchnet-cli train\``,
      );
    }
    // The run continues with the settings it started with, checked like flags. Where to write is
    // never read from the file: the checkpoint given, unless --out says otherwise.
    const saved = readRecordedSettings(resumed.training.hyperparameters, flags.resume);
    settings = {
      ...saved,
      out: flags.out === undefined ? flags.resume : readSetting('out', flags.out, '--out'),
      dataDir: flags.dataDir === undefined ? saved.dataDir : readSetting('dataDir', flags.dataDir, '--data-dir'),
    };
    resumeFrom = resumed.trainerState;
    const ignored = Object.keys(flags).filter((k) => !RESUME_FLAGS.includes(k) && (flags as Record<string, unknown>)[k] !== undefined);
    if (ignored.length) reporter.note(`note: --resume continues with the run's own settings; ignoring ${ignored.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`);
  } else {
    settings = resolveTrainSettings(flags);
  }

  parseChoice('--dataset', settings.dataset, knownDatasets()); // a typo fails before anything is printed
  checkOutPath(settings.out);
  // A bad --arch also fails before the data is loaded.
  const spec = modelSpecFor(settings);
  checkOptimizerSettings(settings);
  // Two runs writing one --out would both print "saved" while one result is lost: the second stops here.
  const lock = acquireOutLock(settings.out);
  try {
    return await trainLocked({ flags, settings, spec, resumed, resumeFrom, reporter, backend });
  } finally {
    lock.release();
  }
}

/** The run itself, once settings are checked and the --out lock is held. */
async function trainLocked(run: {
  flags: { resume?: string };
  settings: TrainSettings;
  spec: ModelSpec;
  resumed: LoadedCheckpoint | undefined;
  resumeFrom: TrainerState | undefined;
  reporter: Reporter;
  backend: { name: string; threads: number };
}): Promise<number> {
  const { flags, settings, resumed, resumeFrom, reporter, backend } = run;
  let { spec } = run;
  reporter.note(`loading ${settings.dataDir ? terminalLine(settings.dataDir) : terminalLine(settings.dataset)}…`);
  const data = await loadTrainingData({ ...settings, onProgress: loadProgress(reporter) }, (text) => reporter.note(terminalLine(text)));
  // A user's own data decides the model's input and output (the record keeps the fitted arch, so resume and eval agree).
  const fitTo = { shape: data.train.shape, classCount: data.classNames.length };
  let fitted = data.modelFollowsData && !resumed ? fitArchToData(settings.arch, fitTo) : settings.arch;
  if (fitted !== settings.arch && !settings.preset && settings.arch === DEFAULT_TRAINING_SETTINGS.arch && !buildsFor(fitted, settings)) {
    // The default CNN needs images of at least 12×12 (two 5×5 convolutions and two poolings): on
    // smaller ones a bare `train` falls back to the plain MLP rather than failing.
    fitted = fitArchToData(BASE_SETTINGS.arch, fitTo);
    reporter.note(`${data.train.shape.slice(1).join('×')} images are too small for the default CNN (LeNet-5); training an MLP instead (choose the model with --arch)`);
  }
  if (fitted !== settings.arch) {
    settings.arch = fitted;
    spec = modelSpecFor(settings);
    reporter.note(`model input ${data.train.shape.join('x')} and ${data.classNames.length} outputs follow the data: ${terminalLine(describeArch(settings))}`);
  }
  checkModelFitsData(spec, settings.arch, { name: terminalLine(data.name), inputSize: data.inputSize, shape: data.train.shape, classCount: data.classNames.length });
  // A resumed run continues from the saved weights (in training mode again).
  const model = resumed ? modelOf(resumed).train() : buildModel(spec, { seed: settings.seed });

  const paths = artifactPaths(settings.out);
  // The record's history (core's 0-based EpochRecord rows, whichever app wrote them) and the same
  // epochs as the terminal and the CSV number them.
  const history: StoredEpochRecord[] = resumed ? resumed.training!.history.map((row) => ({ ...row })) : [];
  const rows: EpochRow[] = history.map(epochRowFromRecord);
  const loss = LOSS_NAMES[settings.loss];
  const options: FitOptions = {
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    loss,
    optimizer: { type: settings.optimizer, lr: settings.lr, momentum: settings.momentum, weightDecay: settings.weightDecay },
    schedule: parseSchedule(settings.schedule),
    seed: settings.seed,
    validation: data.validation,
    earlyStopping: settings.earlyStopping ? { patience: settings.earlyStopping } : undefined,
    augment: settings.augment ? (parseAugmentSpec(settings.augment) ?? undefined) : undefined,
    resumeFrom,
  };

  reporter.note(
    `model ${describeArch(settings)} · ${model.parameterCount().toLocaleString('en-US')} parameters · ${settings.optimizer} lr ${settings.lr} · batch ${settings.batchSize} · ${settings.epochs} epoch${settings.epochs === 1 ? '' : 's'} · ${backend.name} backend${backend.threads > 1 ? ` (${backend.threads} threads)` : ''}`,
  );
  reporter.note(
    `data ${terminalLine(data.name)}: ${data.train.size} train${data.validation ? `, ${data.validation.size} validation` : ''}, ${data.test.size} test${options.augment ? ` · augment ${terminalLine(settings.augment ?? '')}` : ''}`,
  );
  if (resumeFrom) reporter.note(`resuming from ${terminalLine(flags.resume)} at epoch ${resumeFrom.epoch + 1}, batch ${resumeFrom.batch}`);
  reporter.event('start', { settings, parameters: model.parameterCount(), backend: backend.name, threads: backend.threads, data: data.record, resumed: Boolean(resumeFrom) });

  const record = (epochs: number, finalMetrics: Record<string, number | null> = {}): TrainingRecordInput => ({
    dataset: { ...data.record, valSplit: settings.valSplit },
    hyperparameters: recordedSettings(settings),
    seed: settings.seed,
    epochs,
    finalMetrics,
    history,
  });
  const save = (trainerState?: TrainerState, finalMetrics?: Record<string, number | null>) =>
    saveCheckpointFile(paths.checkpoint, { model, classNames: data.classNames, training: record(history.length, finalMetrics), trainerState });

  // Ctrl-C, SIGTERM (docker stop, systemd) and SIGHUP (terminal closed): finish the current
  // batch, save everything needed to continue, exit 128 + the signal's number.
  const controller = new AbortController();
  let interrupted: StopSignal | undefined;
  const onSignal = (signal: StopSignal) => {
    if (interrupted) process.exit(SIGNAL_EXIT_CODES[signal]); // a second signal: give up at once
    if (signal === 'SIGHUP') {
      // The terminal may be gone: a failed write must not crash the save.
      process.stdout.on('error', () => {});
      process.stderr.on('error', () => {});
    }
    // Only flag it: the next onBatchEnd saves the state and then aborts, so nothing is lost.
    interrupted = signal;
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);

  const started = Date.now();
  let epochStarted = Date.now();
  let runningLoss = 0;
  let runningCount = 0;
  try {
    await fit(model, data.train, {
      ...options,
      signal: controller.signal,
      callbacks: {
        onBatchEnd: async (info) => {
          if (info.batch === 0) {
            epochStarted = Date.now();
            runningLoss = 0;
            runningCount = 0;
          }
          runningLoss += info.loss;
          runningCount++;
          const elapsed = (Date.now() - epochStarted) / 1000;
          const done = info.batch + 1;
          const rate = (done * settings.batchSize) / Math.max(elapsed, 1e-3);
          reporter.progress({
            epoch: info.epoch + 1,
            epochs: settings.epochs,
            batch: done,
            batches: info.batchesPerEpoch,
            samplesPerSecond: rate,
            etaSeconds: ((info.batchesPerEpoch - done) * elapsed) / done,
            runningLoss: runningLoss / runningCount,
          });
          if (interrupted && !controller.signal.aborted) {
            await save(info.trainerState());
            const shown = terminalLine(paths.checkpoint);
            reporter.note(`interrupted${interrupted === 'SIGINT' ? '' : ` by ${interrupted}`}: saved a resumable checkpoint to ${shown} (epoch ${info.epoch + 1}, batch ${done}); continue with --resume ${shown}`);
            reporter.event('interrupted', { checkpoint: paths.checkpoint, epoch: info.epoch + 1, batch: done, signal: interrupted });
            controller.abort();
          }
        },
        onEpochEnd: async (info: EpochEndInfo) => {
          reporter.clearProgress();
          history.push(storedEpochRecord(info, info.seconds));
          const row = epochRowFromRecord(history[history.length - 1]);
          rows.push(row);
          // Saved before it is reported: an epoch line means its checkpoint is on disk, so a
          // Ctrl-C pressed twice right after it still leaves a loadable file.
          await save(info.trainerState());
          reporter.epoch(row, settings.epochs);
          await writeCharts(paths, rows);
        },
      },
    });
  } catch (error) {
    if (interrupted && (error as { code?: string }).code === 'ABORTED') {
      await writeCharts(paths, rows);
      return SIGNAL_EXIT_CODES[interrupted];
    }
    throw error;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  }

  const test = evaluate(model, data.test, { loss, classNames: data.classNames });
  const seconds = (Date.now() - started) / 1000;
  await save(undefined, {
    test_accuracy: test.accuracy,
    test_loss: test.loss,
    val_accuracy: rows.at(-1)?.valAccuracy ?? null,
    seconds,
  });
  await writeCharts(paths, rows);
  reporter.result(`test accuracy ${percent(test.accuracy)} (${test.accuracy.toFixed(4)})  loss ${test.loss.toFixed(4)}  on ${test.count} images  ·  ${seconds.toFixed(1)}s`);
  reporter.note('');
  reporter.note(
    drawTerminalChart(
      [
        { name: 'train loss', values: rows.map((r) => r.trainLoss), mark: '●' },
        ...(rows.some((r) => r.valLoss !== undefined) ? [{ name: 'validation loss', values: rows.map((r) => r.valLoss ?? Number.NaN), mark: '○' }] : []),
      ],
      { title: 'convergence' },
    ),
  );
  reporter.note('');
  reporter.result(`saved ${terminalLine(paths.checkpoint)}, ${terminalLine(paths.metricsCsv)}, ${terminalLine(paths.lossSvg)}`);
  reporter.event('done', { testAccuracy: test.accuracy, testLoss: test.loss, seconds, checkpoint: paths.checkpoint, metricsCsv: paths.metricsCsv, lossSvg: paths.lossSvg });
  return 0;
}

/**
 * The settings as a checkpoint records them: core's TrainingHyperparameters (every field but
 * `out`: where to write is never read back from a file). Undefined fields vanish through JSON.
 */
function recordedSettings(settings: TrainSettings): Record<string, unknown> {
  const { out: _out, ...hyperparameters } = settings;
  return JSON.parse(JSON.stringify(hyperparameters));
}

/** The architecture as the start line shows it: an MLP string with its activations, a preset's layered string, or a JSON spec's layer count. */
function describeArch(settings: TrainSettings): string {
  const arch = settings.arch.trim();
  if (arch.startsWith('{')) return `from --config (${modelSpecFor(settings).layers.length} layers)`;
  if (isLayerArchitecture(arch)) return arch;
  return `${arch} (${settings.activations}${settings.dropout ? `, dropout ${settings.dropout}` : ''})`;
}

/** Whether `arch` builds into a model with the run's other settings (its layers fit its input). */
function buildsFor(arch: string, settings: TrainSettings): boolean {
  try {
    modelSpecFor({ ...settings, arch });
    return true;
  } catch {
    return false;
  }
}

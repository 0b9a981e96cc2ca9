import {
  ACTIVATIONS,
  DEFAULT_TRAINING_SETTINGS,
  OPTIMIZER_TYPES,
  type OptimizerType,
  REQUIRED_RUN_SETTINGS,
  RUN_LOSSES,
  RUN_SETTING_RULES,
  type RunLoss,
  type TrainingHyperparameters,
  isActivation,
  isLayerArchitecture,
} from '@scratchnet/core';
import { closest } from '../errors/closest.js';
import { CliError, CliErrorCode, badFlag } from '../errors/cli-error.js';
import { readRegularFileSync } from '../lib/regular-file.js';
import { asFlagError } from './parse-values.js';
import { PRESETS, type PresetName } from './presets.js';

/** core's one list of optimizers (the desktop's menu and the checkpoint schemas read it too). */
export const OPTIMIZERS = OPTIMIZER_TYPES;
export const LOSSES = RUN_LOSSES;

/**
 * Everything a training run needs, as one JSON-friendly object. Apart from `out`, these are core's
 * TrainingHyperparameters (checked below): what a checkpoint records and the desktop writes too.
 */
export interface TrainSettings {
  dataset: string;
  dataDir?: string;
  /** For an image folder: '28' or '32x32' (default: the images' own size up to 64, else 32x32). */
  imageSize?: string;
  /** For an image folder: 1 or 3 (default: 3 when any image has colour, else 1). */
  channels?: number;
  preset?: string;
  arch: string;
  activations: string;
  dropout: number;
  optimizer: OptimizerType;
  loss: RunLoss;
  lr: number;
  momentum?: number;
  weightDecay?: number;
  batchSize: number;
  epochs: number;
  seed: number;
  valSplit: number;
  schedule: string;
  earlyStopping?: number;
  /** Augmentation spec such as 'rotate=10,shift=2,scale=0.1', spelled out (see augment-spec.ts); absent or 'off' for none. */
  augment?: string;
  /** Use only the first N training examples (quick experiments, tests). */
  trainLimit?: number;
  out: string;
}

/** Compile-time check that every setting but `out` is a shared hyperparameter of the same type. */
type SharedNames = Omit<TrainSettings, 'out'> extends TrainingHyperparameters ? true : never;
const _sharedNames: SharedNames = true;
void _sharedNames;

/**
 * What every run starts from, under a preset, a config file and the flags, and all a run with its
 * own --arch gets. A preset sets only some fields (the MLP presets no schedule or augmentation), so
 * these stay neutral: constant learning rate, no augmentation.
 */
export const BASE_SETTINGS: TrainSettings = {
  dataset: 'mnist',
  arch: '784-128-64-10',
  activations: 'relu',
  dropout: 0,
  optimizer: 'adam',
  loss: 'ce',
  lr: 0.001,
  batchSize: 64,
  epochs: 5,
  seed: 1,
  valSplit: 0.1,
  schedule: 'constant',
  out: 'model.safetensors',
};

/** A bare `train` (no --preset, no --arch): core's DEFAULT_TRAINING_SETTINGS, a small CNN, over the base. */
export const DEFAULT_SETTINGS: TrainSettings = { ...BASE_SETTINGS, ...DEFAULT_TRAINING_SETTINGS };

/** core's rule for a setting (the desktop's Train form checks its fields with the same), failing as a bad flag. */
const rule = <K extends keyof typeof RUN_SETTING_RULES>(key: K): (typeof RUN_SETTING_RULES)[K] =>
  asFlagError(RUN_SETTING_RULES[key] as (value: string, flag: string) => unknown) as (typeof RUN_SETTING_RULES)[K];

/**
 * How each field is read from a string (flag or config file) — one table so a flag and the same
 * key in `--config` are validated identically. The rules are core's (core/src/run/setting-rules.ts).
 */
const FIELDS: { [K in keyof TrainSettings]-?: (value: string, flag: string) => TrainSettings[K] } = {
  dataset: (v) => v,
  dataDir: (v) => v,
  imageSize: rule('imageSize'),
  channels: rule('channels'),
  preset: rule('preset'),
  arch: (v) => v,
  activations: (v) => v,
  dropout: rule('dropout'),
  optimizer: rule('optimizer'),
  loss: rule('loss'),
  lr: rule('lr'),
  momentum: rule('momentum'),
  weightDecay: rule('weightDecay'),
  batchSize: rule('batchSize'),
  epochs: rule('epochs'),
  seed: rule('seed'),
  valSplit: rule('valSplit'),
  schedule: rule('schedule'),
  earlyStopping: rule('earlyStopping'),
  augment: rule('augment'),
  trainLimit: rule('trainLimit'),
  out: (v, f) => {
    if (v.trim() === '') throw badFlag(`${f}: '' is not a file name; try ${f} model.safetensors`);
    return v;
  },
};

/** Largest --config file read: settings are a few hundred bytes; this stops /dev/zero-like files. */
export const MAX_CONFIG_BYTES = 1 << 20;

export const SETTING_KEYS = Object.keys(FIELDS) as (keyof TrainSettings)[];

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (key: string) => key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Checks one setting, whatever its source: a flag (always a string), a `--config` value or the
 * settings recorded in a checkpoint (JSON: a string or a number). The same parser runs for all
 * three, so a file cannot smuggle in what the flag would refuse (`epochs: 1e15`, a non-string
 * schedule, `step:0`). `label` names the source in the message ("--epochs", "c.json: epochs").
 */
export function readSetting<K extends keyof TrainSettings>(key: K, value: unknown, label: string): TrainSettings[K] {
  // A whole model spec ({inputSize, inputShape, layers}) may stand for an architecture string; it
  // is kept as its JSON text so settings stay flat strings and numbers, and checked when the run builds it.
  if (key === 'arch' && value !== null && typeof value === 'object' && !Array.isArray(value)) return JSON.stringify(value) as TrainSettings[K];
  if (typeof value === 'string') return FIELDS[key](value, label) as TrainSettings[K];
  if (typeof value === 'number') return FIELDS[key](String(value), label) as TrainSettings[K];
  const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : typeof value;
  throw badFlag(`${label}: expected a number or a string, got ${got}`);
}

/**
 * Checks a whole object of settings (a --config file's, or a checkpoint's recorded ones); keys
 * may be camelCase or kebab-case like the flags. Unknown keys are refused with the closest one.
 */
export function readSettings(record: Record<string, unknown>, source: string): Partial<TrainSettings> {
  const settings: Partial<TrainSettings> = {};
  for (const [rawKey, value] of Object.entries(record)) {
    const key = camel(rawKey) as keyof TrainSettings;
    if (!Object.hasOwn(FIELDS, key)) {
      const suggestion = closest(rawKey, SETTING_KEYS.map(kebab));
      throw badFlag(`${source}: unknown setting '${rawKey}'; did you mean '${suggestion}'?`);
    }
    (settings as Record<string, unknown>)[key] = readSetting(key, value, `${source}: ${rawKey}`);
  }
  return settings;
}

/** Reads and validates a `--config` JSON file (a regular file of at most 1 MB). */
export function readConfigFile(path: string): Partial<TrainSettings> {
  const text = readRegularFileSync(path, '--config', MAX_CONFIG_BYTES).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new CliError(CliErrorCode.BAD_CONFIG_FILE, `--config ${path}: not valid JSON (${(cause as Error).message})`, { cause });
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new CliError(CliErrorCode.BAD_CONFIG_FILE, `--config ${path}: expected a JSON object of settings such as {"lr": 0.001}`);
  }
  try {
    return readSettings(json as Record<string, unknown>, `--config ${path}`);
  } catch (error) {
    // An unknown key is a problem of the file as a whole; a bad value stays a bad value (exit 2 either way).
    if ((error as Error).message.includes(': unknown setting ')) {
      throw new CliError(CliErrorCode.BAD_CONFIG_FILE, (error as Error).message, { cause: error });
    }
    throw error;
  }
}

/** Settings every run records (core's REQUIRED_RUN_SETTINGS; the desktop records them too). */
const RECORDED_KEYS = REQUIRED_RUN_SETTINGS;

/**
 * The settings a checkpoint recorded, checked exactly as flags are, for `--resume`. Where to
 * write is never taken from the file: `out` is dropped (the caller decides).
 * @throws CliError BAD_RESUME_SETTINGS naming the file and the setting.
 */
export function readRecordedSettings(record: unknown, file: string): Omit<TrainSettings, 'out'> {
  const fail = (why: string, cause?: unknown) =>
    new CliError(CliErrorCode.BAD_RESUME_SETTINGS, `cannot resume '${file}': ${why}`, { cause });
  if (!record || typeof record !== 'object' || Array.isArray(record)) throw fail('it records no training settings');
  const { out: _out, ...rest } = record as Record<string, unknown>;
  let settings: Partial<TrainSettings>;
  try {
    settings = readSettings(rest, 'its recorded settings');
  } catch (error) {
    throw fail((error as Error).message, error);
  }
  const missing = RECORDED_KEYS.filter((k) => settings[k] === undefined);
  if (missing.length) throw fail(`its recorded settings lack ${missing.join(', ')} (it was not written by \`scratchnet-cli train\` or the desktop app)`);
  return settings as Omit<TrainSettings, 'out'>;
}

/** Flag values commander parsed (strings; undefined when the flag was not given). */
export type TrainFlags = { [K in keyof TrainSettings]?: string } & { config?: string };

/** Base < preset (core's DEFAULT_TRAINING_SETTINGS when neither a preset nor an architecture is named) < config file < flags. */
export function resolveTrainSettings(flags: TrainFlags): TrainSettings {
  const fromFile = flags.config ? readConfigFile(flags.config) : {};
  const fromFlags: Partial<TrainSettings> = {};
  for (const key of SETTING_KEYS) {
    const value = flags[key];
    if (value !== undefined) (fromFlags as Record<string, unknown>)[key] = readSetting(key, value, `--${kebab(key)}`);
  }
  const presetName = (fromFlags.preset ?? fromFile.preset) as PresetName | undefined;
  // With no preset and no architecture, the default model and the settings tuned for it; an --arch
  // of your own starts from the plain base (lr 0.001, constant, 5 epochs, no augmentation).
  const archGiven = fromFlags.arch !== undefined || fromFile.arch !== undefined;
  const preset: Partial<TrainSettings> = presetName ? (PRESETS[presetName] as Partial<TrainSettings>) : archGiven ? {} : DEFAULT_TRAINING_SETTINGS;
  const settings = { ...BASE_SETTINGS, ...preset, ...fromFile, ...fromFlags };
  if (fromFlags.activations !== undefined) checkActivationsApply(fromFlags.activations, settings.arch);
  return settings;
}

/**
 * `--activations` sets the hidden activations of a layer-size MLP (`--arch 784-128-64-10`). A
 * layer-by-layer architecture (the default, the CNN presets) names its own activations, so there
 * the flag is refused instead of silently ignored; unknown names are reported first either way.
 */
function checkActivationsApply(activations: string, arch: string): void {
  if (!isLayerArchitecture(arch.trim())) return;
  for (const name of activations.split(',').map((a) => a.trim())) {
    if (!isActivation(name)) throw badFlag(`--activations: unknown activation '${name}'; valid activations: ${ACTIVATIONS.join(', ')}`);
  }
  const shown = arch.length > 60 ? `${arch.slice(0, 57)}…` : arch;
  throw badFlag(
    `--activations applies to a layer-size architecture such as --arch 784-128-64-10; the architecture here (${shown}) names its activations layer by layer, so write them in --arch (e.g. …-conv(8,5,pad=2)-tanh-…) or pass --arch 784-128-64-10 --activations ${activations}`,
  );
}

import { readFileSync } from 'node:fs';
import { closest } from '../errors/closest.js';
import { CliError, CliErrorCode } from '../errors/cli-error.js';
import { PRESETS, PRESET_NAMES, type PresetName } from './presets.js';
import {
  parseChoice,
  parseFraction,
  parseNonNegativeInteger,
  parsePositiveInteger,
  parsePositiveNumber,
} from './parse-values.js';
import { parseSchedule } from './schedule.js';

export const OPTIMIZERS = ['sgd', 'momentum', 'rmsprop', 'adam', 'adamw'] as const;
export const LOSSES = ['ce', 'mse', 'bce'] as const;

/** Everything a training run needs, as one JSON-friendly object (also stored in checkpoints). */
export interface TrainSettings {
  dataset: string;
  dataDir?: string;
  preset?: string;
  arch: string;
  activations: string;
  dropout: number;
  optimizer: (typeof OPTIMIZERS)[number];
  loss: (typeof LOSSES)[number];
  lr: number;
  momentum?: number;
  weightDecay?: number;
  batchSize: number;
  epochs: number;
  seed: number;
  valSplit: number;
  schedule: string;
  earlyStopping?: number;
  /** Use only the first N training examples (quick experiments, tests). */
  trainLimit?: number;
  out: string;
}

export const DEFAULT_SETTINGS: TrainSettings = {
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

/** A batch of 65,536 MNIST images is already 205 MB of float32 input; larger is a typo. */
const MAX_BATCH_SIZE = 65_536;
const MAX_EPOCHS = 1_000_000;

/**
 * How each field is read from a string (flag or config file) — one table so a flag and the same
 * key in `--config` are validated identically.
 */
const FIELDS: { [K in keyof TrainSettings]-?: (value: string, flag: string) => TrainSettings[K] } = {
  dataset: (v) => v,
  dataDir: (v) => v,
  preset: (v, f) => parseChoice(f, v, PRESET_NAMES),
  arch: (v) => v,
  activations: (v) => v,
  dropout: (v, f) => parseFraction(f, v, 1, 0.2),
  optimizer: (v, f) => parseChoice(f, v, OPTIMIZERS),
  loss: (v, f) => parseChoice(f, v, LOSSES),
  lr: (v, f) => parsePositiveNumber(f, v, 0.001),
  momentum: (v, f) => parseFraction(f, v, 1, 0.9),
  weightDecay: (v, f) => (Number(v) === 0 ? 0 : parsePositiveNumber(f, v, 0.0001)),
  batchSize: (v, f) => parsePositiveInteger(f, v, 64, MAX_BATCH_SIZE),
  epochs: (v, f) => parsePositiveInteger(f, v, 5, MAX_EPOCHS),
  seed: (v, f) => parseNonNegativeInteger(f, v, 1),
  valSplit: (v, f) => parseFraction(f, v, 1, 0.1),
  schedule: (v) => {
    parseSchedule(v);
    return v;
  },
  earlyStopping: (v, f) => parsePositiveInteger(f, v, 3),
  trainLimit: (v, f) => parsePositiveInteger(f, v, 1000),
  out: (v) => v,
};

export const SETTING_KEYS = Object.keys(FIELDS) as (keyof TrainSettings)[];

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (key: string) => key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Reads and validates a `--config` JSON file; keys may be camelCase or kebab-case like the flags. */
export function readConfigFile(path: string): Partial<TrainSettings> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new CliError(CliErrorCode.FILE_NOT_FOUND, `--config: cannot read '${path}' (${(cause as Error).message})`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new CliError(CliErrorCode.BAD_CONFIG_FILE, `--config ${path}: not valid JSON (${(cause as Error).message})`, { cause });
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new CliError(CliErrorCode.BAD_CONFIG_FILE, `--config ${path}: expected a JSON object of settings such as {"lr": 0.001}`);
  }
  const settings: Partial<TrainSettings> = {};
  for (const [rawKey, value] of Object.entries(json)) {
    const key = camel(rawKey) as keyof TrainSettings;
    if (!(key in FIELDS)) {
      const suggestion = closest(rawKey, SETTING_KEYS.map(kebab));
      throw new CliError(CliErrorCode.BAD_CONFIG_FILE, `--config ${path}: unknown setting '${rawKey}'; did you mean '${suggestion}'?`);
    }
    (settings as Record<string, unknown>)[key] = FIELDS[key](String(value), `${path}: ${rawKey}`);
  }
  return settings;
}

/** Flag values commander parsed (strings; undefined when the flag was not given). */
export type TrainFlags = { [K in keyof TrainSettings]?: string } & { config?: string };

/** Defaults < preset < config file < flags. */
export function resolveTrainSettings(flags: TrainFlags): TrainSettings {
  const fromFile = flags.config ? readConfigFile(flags.config) : {};
  const fromFlags: Partial<TrainSettings> = {};
  for (const key of SETTING_KEYS) {
    const value = flags[key];
    if (value !== undefined) (fromFlags as Record<string, unknown>)[key] = FIELDS[key](value, `--${kebab(key)}`);
  }
  const presetName = (fromFlags.preset ?? fromFile.preset) as PresetName | undefined;
  const preset: Partial<TrainSettings> = presetName ? (PRESETS[presetName] as Partial<TrainSettings>) : {};
  return { ...DEFAULT_SETTINGS, ...preset, ...fromFile, ...fromFlags };
}

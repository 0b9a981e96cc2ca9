import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { validateModelSpec } from '../model/model-shapes.js';
import { OPTIMIZER_TYPES } from '../optim/optimizer-types.js';
import { validateSchedule } from '../optim/schedules.js';
import { RUN_LOSSES } from './hyperparameters.js';
import { DEFAULT_TRAINING_SETTINGS, TRAINING_PRESET_NAMES, TRAINING_PRESETS, trainingPreset } from './presets.js';
import { modelSpecForRun } from './run-model-spec.js';
import { parseScheduleText } from './schedule-text.js';

describe('the one preset table', () => {
  it.each(TRAINING_PRESET_NAMES)('%s builds a 10-class model for 28×28 images with valid settings', (name) => {
    const { settings, label, note } = TRAINING_PRESETS[name];
    expect(label.length).toBeGreaterThan(0);
    expect(note.length).toBeGreaterThan(0);
    const spec = modelSpecForRun(settings);
    expect(spec.inputSize).toBe(784);
    expect(validateModelSpec(spec)).toEqual([10]);
    expect(OPTIMIZER_TYPES).toContain(settings.optimizer);
    if ('loss' in settings) expect(RUN_LOSSES).toContain(settings.loss);
    const schedule = parseScheduleText('schedule' in settings ? settings.schedule : 'constant');
    expect(() => validateSchedule(schedule, { baseLr: settings.lr, totalEpochs: settings.epochs })).not.toThrow();
  });

  it("names mean the CLI's runs: fashion is 784-512-256-10 with AdamW and a cosine schedule", () => {
    expect(TRAINING_PRESETS.fashion.settings).toMatchObject({ arch: '784-512-256-10', optimizer: 'adamw', schedule: 'cosine', epochs: 25, dataset: 'fashion-mnist' });
    expect(trainingPreset('16-16')?.settings.arch).toBe('784-16-16-10');
    expect(trainingPreset('toString')).toBeUndefined();
  });

  it('the default run (no preset) is LeNet-5 with light augmentation, a valid 10-class model', () => {
    const spec = modelSpecForRun(DEFAULT_TRAINING_SETTINGS);
    expect(spec.inputShape).toEqual([1, 28, 28]);
    expect(validateModelSpec(spec)).toEqual([10]);
    expect(DEFAULT_TRAINING_SETTINGS).toMatchObject({ epochs: 6, schedule: 'cosine', augment: 'rotate=10,shift=2,scale=0.1' });
    expect(() => validateSchedule(parseScheduleText(DEFAULT_TRAINING_SETTINGS.schedule), { baseLr: DEFAULT_TRAINING_SETTINGS.lr, totalEpochs: DEFAULT_TRAINING_SETTINGS.epochs })).not.toThrow();
  });

  it('an MSE run ends in a sigmoid, as the CLI has always built it', () => {
    const spec = modelSpecForRun(TRAINING_PRESETS.mse.settings);
    expect(spec.layers.at(-1)).toEqual({ type: 'sigmoid' });
  });
});

describe('parseScheduleText', () => {
  it('reads every form and refuses nonsense with a ConfigError naming the forms', () => {
    expect(parseScheduleText('cosine:1e-5')).toEqual({ type: 'cosine', minLr: 1e-5 });
    expect(parseScheduleText('step:5:0.5')).toEqual({ type: 'step', stepSize: 5, gamma: 0.5 });
    expect(parseScheduleText('warmup:2:exp:0.9')).toMatchObject({ type: 'warmup', warmupEpochs: 2 });
    expect((parseScheduleText('warmup:2:exp:0.9') as { then?: unknown }).then).toEqual({ type: 'exponential', gamma: 0.9 });
    expect(() => parseScheduleText('step:0')).toThrow(/whole number of epochs ≥ 1/);
    expect(() => parseScheduleText('sometimes')).toThrow(ConfigError);
  });
});

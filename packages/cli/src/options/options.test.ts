import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CNN_ARCHITECTURES } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { closest } from '../errors/closest.js';
import { parseChoice, parseFraction, parsePositiveInteger } from './parse-values.js';
import { formatSchedule, parseSchedule } from './schedule.js';
import { BASE_SETTINGS, DEFAULT_SETTINGS, readRecordedSettings, resolveTrainSettings } from './train-settings.js';

describe('flag values', () => {
  it('suggests the closest valid value in one line', () => {
    expect(closest('adma', ['sgd', 'momentum', 'rmsprop', 'adam', 'adamw'])).toBe('adam');
    expect(closest('rms', ['sgd', 'momentum', 'rmsprop', 'adam'])).toBe('rmsprop');
    expect(() => parseChoice('--optimizer', 'adma', ['sgd', 'adam', 'adamw'])).toThrow(/did you mean 'adam'\?/);
    expect(() => parsePositiveInteger('--epochs', '2.6', 5)).toThrow("--epochs: '2.6' is not a whole number ≥ 1; try --epochs 3");
    expect(() => parseFraction('--val-split', '1.5', 1, 0.1)).toThrow('try --val-split 0.9');
    expect(() => resolveTrainSettings({ batchSize: '1e12' })).toThrow('--batch-size: 1e12 is more than the 65,536 allowed; try --batch-size 64');
  });

  it('parses every schedule form and prints it back', () => {
    for (const text of ['constant', 'cosine', 'cosine:0.0001', 'step:5:0.5', 'exp:0.95', 'warmup:2:cosine']) {
      expect(formatSchedule(parseSchedule(text))).toBe(text);
    }
    // biome-ignore lint/suspicious/noThenProperty: core's ScheduleConfig names the follow-on schedule `then`.
    expect(parseSchedule('warmup:2:step:3:0.1')).toEqual({ type: 'warmup', warmupEpochs: 2, then: { type: 'step', stepSize: 3, gamma: 0.1 } });
    expect(() => parseSchedule('cosin')).toThrow(/unknown schedule 'cosin'/);
  });
});

describe('resolveTrainSettings', () => {
  it('layers defaults < preset < config file < flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-settings-'));
    const config = join(dir, 'c.json');
    writeFileSync(config, JSON.stringify({ preset: '16-16', 'batch-size': 128, lr: 0.01, epochs: 7 }));
    const s = resolveTrainSettings({ config, lr: '0.05' });
    expect(s.arch).toBe('784-16-16-10'); // preset
    expect(s.batchSize).toBe(128); // file over preset (32)
    expect(s.epochs).toBe(7); // file
    expect(s.lr).toBe(0.05); // flag over file
    expect(s.valSplit).toBe(DEFAULT_SETTINGS.valSplit); // default
  });

  it('a bare run trains the default CNN with its settings; an --arch or a preset starts from the plain base', () => {
    expect(resolveTrainSettings({})).toMatchObject({ arch: CNN_ARCHITECTURES.lenet5, lr: 0.002, epochs: 6, schedule: 'cosine', augment: 'rotate=10,shift=2,scale=0.1' });
    expect(resolveTrainSettings({})).toEqual(DEFAULT_SETTINGS);
    const mlp = resolveTrainSettings({ arch: '784-128-64-10' });
    expect(mlp).toEqual({ ...BASE_SETTINGS, arch: '784-128-64-10' });
    expect(mlp).toMatchObject({ lr: 0.001, epochs: 5, schedule: 'constant' });
    expect(mlp.augment).toBeUndefined();
    // The MLP presets set no schedule or augmentation: they must not inherit the default CNN's.
    const preset = resolveTrainSettings({ preset: '16-16' });
    expect(preset).toMatchObject({ arch: '784-16-16-10', schedule: 'constant' });
    expect(preset.augment).toBeUndefined();
  });

  it('refuses --activations where the architecture names its own, after checking the names', () => {
    expect(() => resolveTrainSettings({ activations: 'tanh' })).toThrow(/--activations applies to a layer-size architecture such as --arch 784-128-64-10; .*--arch 784-128-64-10 --activations tanh/);
    expect(() => resolveTrainSettings({ preset: 'lenet5', activations: 'tanh' })).toThrow(/--activations applies to a layer-size architecture/);
    expect(() => resolveTrainSettings({ activations: 'relu,swish' })).toThrow(/--activations: unknown activation 'swish'; valid activations: relu/);
    expect(resolveTrainSettings({ arch: '784-32-10', activations: 'tanh' }).activations).toBe('tanh');
  });

  it('rejects unknown config keys with the closest key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-settings-'));
    const config = join(dir, 'c.json');
    writeFileSync(config, JSON.stringify({ 'batch-sise': 3 }));
    expect(() => resolveTrainSettings({ config })).toThrow(/unknown setting 'batch-sise'; did you mean 'batch-size'\?/);
  });
});

describe('one validation path for flags, --config and resumed settings', () => {
  const recorded = { ...DEFAULT_SETTINGS, out: '/elsewhere/planted.safetensors' };

  it('refuses in a checkpoint what the flag refuses, naming the file (exit 1)', () => {
    const fails = (change: Record<string, unknown>) => () => readRecordedSettings({ ...recorded, ...change }, 'run.safetensors');
    expect(fails({ epochs: 1e15 })).toThrow(/cannot resume 'run\.safetensors': its recorded settings: epochs: 1000000000000000 is more than the 62,500 allowed/);
    expect(fails({ schedule: { type: 'step' } })).toThrow(/schedule: expected a number or a string, got an object/);
    expect(fails({ schedule: 'step:0:0.5' })).toThrow(/the step size must be a whole number of epochs ≥ 1/);
    expect(fails({ seed: 2 ** 53 + 2 })).toThrow(/seed: .* is more than the 4,294,967,295 allowed/);
    expect(fails({ architecture: '784-10' })).toThrow(/unknown setting 'architecture'/);
    expect(fails({ lr: null })).toThrow(expect.objectContaining({ code: 'BAD_RESUME_SETTINGS' }));
    expect(() => readRecordedSettings({ lr: 0.1 }, 'desk.safetensors')).toThrow(/lack dataset, arch/);
  });

  it('never takes where to write from the file', () => {
    expect(readRecordedSettings(recorded, 'run.safetensors')).not.toHaveProperty('out');
  });

  it('refuses the same values from a flag and from --config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-settings-'));
    const config = join(dir, 'c.json');
    for (const [key, value, message] of [
      ['epochs', 1e15, /epochs: 1000000000000000 is more than/],
      ['schedule', 'step:0', /step size must be a whole number/],
      ['seed', 2 ** 32, /seed: 4294967296 is more than the 4,294,967,295 allowed/],
      ['out', '', /'' is not a file name/],
    ] as const) {
      writeFileSync(config, JSON.stringify({ [key]: value }));
      expect(() => resolveTrainSettings({ config }), key).toThrow(message);
      expect(() => resolveTrainSettings({ [key]: String(value) }), key).toThrow(message);
    }
    writeFileSync(config, JSON.stringify({ schedule: ['cosine'] }));
    expect(() => resolveTrainSettings({ config })).toThrow(/schedule: expected a number or a string, got a list/);
    expect(resolveTrainSettings({ seed: '4294967295' }).seed).toBe(2 ** 32 - 1);
  });
});


describe('limits shared with the desktop (core/src/run/setting-rules.ts)', () => {
  it('the largest --epochs fits a checkpoint history (8 values an epoch)', async () => {
    const { MAX_RUN_EPOCHS } = await import('@scratchnet/core');
    const { MAX_HISTORY_VALUES } = await import('@scratchnet/model-format');
    expect(MAX_RUN_EPOCHS * 8).toBeLessThanOrEqual(MAX_HISTORY_VALUES);
    expect(() => resolveTrainSettings({ epochs: String(MAX_RUN_EPOCHS + 1) })).toThrow(`--epochs: ${MAX_RUN_EPOCHS + 1} is more than the 62,500 allowed; try --epochs 5`);
  });
});

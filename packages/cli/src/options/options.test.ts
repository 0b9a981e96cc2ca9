import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closest } from '../errors/closest.js';
import { parseChoice, parseFraction, parsePositiveInteger } from './parse-values.js';
import { formatSchedule, parseSchedule } from './schedule.js';
import { DEFAULT_SETTINGS, resolveTrainSettings } from './train-settings.js';

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

  it('rejects unknown config keys with the closest key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-settings-'));
    const config = join(dir, 'c.json');
    writeFileSync(config, JSON.stringify({ 'batch-sise': 3 }));
    expect(() => resolveTrainSettings({ config })).toThrow(/unknown setting 'batch-sise'; did you mean 'batch-size'\?/);
  });
});

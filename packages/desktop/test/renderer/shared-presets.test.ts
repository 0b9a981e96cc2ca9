import { TRAINING_PRESET_NAMES, TRAINING_PRESETS } from '@scratchnet/core';
import { describe, expect, it } from 'vitest';
import { specFromConfig } from '../../src/renderer/src/model/spec-from-config.js';
import { PRESETS } from '../../src/renderer/src/train/presets.js';
import { configFromSettings, settingsFromConfig } from '../../src/renderer/src/train/run-settings.js';

describe("the desktop's presets are core's one table", () => {
  it("offers every name the CLI's --preset takes, quick first", () => {
    expect(PRESETS[0].id).toBe('quick');
    expect(PRESETS.map((p) => p.id).sort()).toEqual([...TRAINING_PRESET_NAMES].sort());
  });

  it.each(PRESETS.map((p) => [p.id, p] as const))('%s records exactly the settings the CLI would run', (id, preset) => {
    const shared = TRAINING_PRESETS[id as keyof typeof TRAINING_PRESETS].settings;
    const recorded = settingsFromConfig(preset.config);
    for (const [key, value] of Object.entries(shared)) if (key !== 'dataset') expect(recorded[key as keyof typeof recorded], key).toEqual(value);
    expect(settingsFromConfig(configFromSettings(recorded))).toEqual(recorded); // and back, unchanged
  });

  it("'fashion' is the CLI's 784-512-256-10 with AdamW, weight decay and a cosine schedule, no longer 784-25-10", () => {
    const fashion = PRESETS.find((p) => p.id === 'fashion')!.config;
    expect(fashion).toMatchObject({ architecture: '784-512-256-10', optimizer: 'adamw', weightDecay: 0.01, schedule: 'cosine', valSplit: 0.02, epochs: 25 });
  });

  it("'mse' trains on squared error with a sigmoid output, as the CLI builds it", () => {
    const mse = PRESETS.find((p) => p.id === 'mse')!.config;
    expect(mse.loss).toBe('mse');
    expect(specFromConfig(mse).layers.at(-1)).toEqual({ type: 'sigmoid' });
  });
});

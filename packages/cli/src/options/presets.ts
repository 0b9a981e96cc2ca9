import { TRAINING_PRESETS, TRAINING_PRESET_NAMES, type TrainingPresetName } from '@scratchnet/core';
import type { TrainSettings } from './train-settings.js';

/**
 * `--preset <name>`: core's one preset table (TRAINING_PRESETS, which the desktop's menu reads
 * too), as the settings each sets. A preset sets defaults; a config file and flags still override any field.
 */
export const PRESETS = Object.fromEntries(
  TRAINING_PRESET_NAMES.map((name) => [name, TRAINING_PRESETS[name].settings as Partial<TrainSettings>]),
) as Readonly<Record<TrainingPresetName, Partial<TrainSettings>>>;

export type PresetName = TrainingPresetName;
export const PRESET_NAMES: readonly PresetName[] = TRAINING_PRESET_NAMES;

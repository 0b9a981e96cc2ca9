import { isLayerArchitecture, parseArchitecture, summarizeModel, TRAINING_PRESET_NAMES, TRAINING_PRESETS } from '@scratchnet/core';
import type { TrainConfig } from '../training/worker-protocol.js';
import { configFromSettings } from './run-settings.js';

export interface Preset {
  /** The preset's name in core's TRAINING_PRESETS, as `scratchnet-cli train --preset` takes it. */
  id: string;
  label: string;
  /** Where the network comes from. */
  note: string;
  config: TrainConfig;
}

/** ", 61,706 parameters" for a layer-by-layer architecture (from the layer registry), else nothing. */
function parameterNote(arch: string): string {
  if (!isLayerArchitecture(arch)) return '';
  const count = summarizeModel(parseArchitecture(arch)).reduce((sum, layer) => sum + layer.parameterCount, 0);
  return `, ${count.toLocaleString('en-US')} parameters`;
}

/**
 * core's one preset table, as the form's configurations: the same names as the CLI's --preset,
 * meaning the same runs ('quick' first: it is the one to start drawing with). Each is only a starting point: every field stays editable on the Train screen.
 */
export const PRESETS: readonly Preset[] = ['quick' as const, ...TRAINING_PRESET_NAMES.filter((id) => id !== 'quick')].map((id) => {
  const { label, note, settings } = TRAINING_PRESETS[id];
  const config = configFromSettings({ seed: 1, ...settings });
  return { id, label: `${label}${parameterNote(config.architecture)}`, note, config };
});

export const QUICK_PRESET = PRESETS.find((p) => p.id === 'quick')!;

/** The preset the Train screen starts with. */
export const DEFAULT_PRESET_ID = '16-16';

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

import { describe, expect, it } from 'vitest';
import { DIGITS_AUGMENT, formatAugmentSpec, parseAugmentSpec } from './augment-spec.js';
import { PRESETS } from './presets.js';
import { readRecordedSettings, resolveTrainSettings } from './train-settings.js';

describe('--augment specs', () => {
  it('reads the readable form, elastic with or without alpha:sigma, on/default and off/none', () => {
    expect(parseAugmentSpec('rotate=15,shift=3,scale=0.15,shear=10,elastic')).toEqual({
      rotate: 15,
      shift: 3,
      scale: 0.15,
      shear: 10,
      elastic: { alpha: 34, sigma: 4 },
    });
    expect(parseAugmentSpec(' Elastic=20:3 , stroke=0.2,erase=0.5')).toEqual({ elastic: { alpha: 20, sigma: 3 }, stroke: 0.2, erase: 0.5 });
    expect(parseAugmentSpec('on')).toEqual(parseAugmentSpec(DIGITS_AUGMENT));
    expect(parseAugmentSpec('default')).toEqual({ rotate: 10, shift: 2, scale: 0.1 });
    expect(parseAugmentSpec('off')).toBeNull();
    expect(parseAugmentSpec('none')).toBeNull();
  });

  it('names the closest key for a typo and the range for a bad value', () => {
    expect(() => parseAugmentSpec('rotaet=10')).toThrow("--augment: unknown augmentation 'rotaet'; did you mean 'rotate'?");
    expect(() => parseAugmentSpec('shft=2')).toThrow(/did you mean 'shift'/);
    expect(() => parseAugmentSpec('rotate=200')).toThrow("--augment: rotate: '200' must be a number from 0 to 180 (degrees)");
    expect(() => parseAugmentSpec('scale=1.5')).toThrow("--augment: scale: '1.5' must be a number from 0 to 0.95 (fraction of the size)");
    expect(() => parseAugmentSpec('shift')).toThrow("--augment: 'shift' needs a value in [0, 1024] pixels, e.g. shift=2");
    expect(() => parseAugmentSpec('elastic=34')).toThrow(/elastic takes alpha:sigma, e.g. elastic=34:4/);
    expect(() => parseAugmentSpec('elastic=34:0.1')).toThrow("--augment: elastic sigma: '0.1' must be a number from 0.5 to 50 (pixels of smoothing)");
    expect(() => parseAugmentSpec('rotate=5,,shift=1')).toThrow(/is not a spec; try --augment rotate=15/);
    expect(() => parseAugmentSpec('rotate=5,rotate=6')).toThrow(/'rotate' is given twice/);
  });

  it('is validated like every setting (flag, config file, recorded settings) and set by the CNN presets', () => {
    expect(() => resolveTrainSettings({ augment: 'rotate=x' })).toThrow("--augment: rotate: 'x' must be a number from 0 to 180 (degrees)");
    expect(resolveTrainSettings({ augment: 'rotate=5' }).augment).toBe('rotate=5');
    // recorded spelled out, so a checkpoint keeps its meaning if a default changes
    expect(resolveTrainSettings({ augment: 'on' }).augment).toBe(DIGITS_AUGMENT);
    expect(resolveTrainSettings({ augment: 'NONE' }).augment).toBe('off');
    expect(formatAugmentSpec(parseAugmentSpec('Shear=3, elastic,erase=0.5'))).toBe('shear=3,elastic=34:4,erase=0.5');
    expect(resolveTrainSettings({ preset: 'lenet5' }).augment).toBe(PRESETS.lenet5.augment);
    expect(resolveTrainSettings({ preset: 'lenet5', epochs: '3' }).epochs).toBe(3);
    expect(resolveTrainSettings({ preset: 'lenet5', augment: 'off' }).augment).toBe('off');
    expect(resolveTrainSettings({ preset: 'digits-cnn' })).toMatchObject({ dataset: 'digits', augment: PRESETS['digits-cnn'].augment });
    // presets are not parsed on the way in, so they are written spelled out already
    for (const preset of ['lenet5', 'digits-cnn'] as const) expect(formatAugmentSpec(parseAugmentSpec(PRESETS[preset].augment ?? ''))).toBe(PRESETS[preset].augment);
    const recorded = { ...resolveTrainSettings({ augment: 'elastic' }), out: 'x' };
    expect(readRecordedSettings(recorded, 'm.safetensors').augment).toBe('elastic=34:4');
    expect(() => readRecordedSettings({ ...recorded, augment: 'twist=3' }, 'm.safetensors')).toThrow(/cannot resume 'm.safetensors': .*unknown augmentation 'twist'/);
  });
});

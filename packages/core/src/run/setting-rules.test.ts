import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { checkRunOptimizer, MAX_RUN_EPOCHS, RUN_SETTING_RULES, runSettingFlag } from './setting-rules.js';

/** The message a rule throws for `value`, or null when it accepts it. */
function problem(key: keyof typeof RUN_SETTING_RULES, value: string): string | null {
  try {
    RUN_SETTING_RULES[key](value, runSettingFlag(key));
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
}

describe('run setting rules (the CLI flags and the desktop form)', () => {
  it('reads good values and names the flag and a value to try for bad ones', () => {
    expect(RUN_SETTING_RULES.lr('0.01', '--lr')).toBe(0.01);
    expect(RUN_SETTING_RULES.weightDecay('0', '--weight-decay')).toBe(0);
    expect(RUN_SETTING_RULES.augment('rotate=5,elastic', '--augment')).toBe('rotate=5,elastic=34:4');
    expect(problem('lr', '0')).toBe("--lr: '0' is not a positive number; try --lr 0.001");
    expect(problem('batchSize', '1e12')).toBe('--batch-size: 1e12 is more than the 65,536 allowed; try --batch-size 64');
    expect(problem('epochs', String(MAX_RUN_EPOCHS))).toBeNull();
    expect(problem('epochs', '2.6')).toBe("--epochs: '2.6' is not a whole number ≥ 1; try --epochs 3");
    expect(problem('momentum', '1')).toBe("--momentum: '1' must be at least 0 and below 1; try --momentum 0.9");
    expect(problem('loss', 'cee')).toMatch(/^--loss: unknown value 'cee'; did you mean 'ce'\?/);
    expect(problem('schedule', 'cosin')).toMatch(/^--schedule: unknown schedule 'cosin'; use one of constant, cosine/);
    expect(problem('earlyStopping', '0')).toBe("--early-stopping: '0' is not a whole number ≥ 1; try --early-stopping 3");
    expect(problem('augment', 'rotat=5')).toMatch(/^--augment: unknown augmentation 'rotat'; did you mean 'rotate'\?/);
  });

  it('refuses momentum for an optimizer without it', () => {
    expect(() => checkRunOptimizer({ optimizer: 'adam', lr: 0.001, momentum: 0.9 })).toThrow(/--momentum applies to --optimizer sgd or momentum, not adam/);
    expect(() => checkRunOptimizer({ optimizer: 'momentum', lr: 0.01, momentum: 0.9, weightDecay: 0.0001 })).not.toThrow();
  });
});

describe('trainLimitIndices (--train-limit in both front ends)', () => {
  it('keeps a seeded, sorted random subset, the same for the same seed', async () => {
    const { trainLimitIndices } = await import('./train-limit.js');
    const a = trainLimitIndices(100, 10, 7)!;
    expect(a).toHaveLength(10);
    expect([...a]).toEqual([...a].sort((x, y) => x - y));
    expect([...a]).toEqual([...trainLimitIndices(100, 10, 7)!]);
    expect([...a]).not.toEqual([...trainLimitIndices(100, 10, 8)!]);
    expect(a.at(-1)).toBeGreaterThan(9); // not just the first ten
    expect(trainLimitIndices(100, 100, 7)).toBeNull();
    expect(trainLimitIndices(100, undefined, 7)).toBeNull();
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configKey, gridConfigs, randomConfigs } from './search-space.js';
import { TRIAL_CSV_HEADER, type TrialResult, bestPerConfig, formatTrialRow, readTrialCsv } from './trial-csv.js';

const space = { lr: [0.1, 0.001], batchSize: [32, 64], hidden: ['16-16', ''], activations: ['relu', 'relu,selu,tanh'], optimizer: ['adam'] };

describe('search space', () => {
  it('grid enumerates every combination once', () => {
    const grid = gridConfigs(space);
    expect(grid).toHaveLength(16);
    expect(new Set(grid.map(configKey)).size).toBe(16);
  });

  it('random search is seeded and samples the learning rate log-uniformly within range', () => {
    const a = randomConfigs(space, 50, 3);
    expect(randomConfigs(space, 50, 3)).toEqual(a);
    for (const c of a) {
      expect(c.lr).toBeGreaterThanOrEqual(0.001);
      expect(c.lr).toBeLessThanOrEqual(0.1);
    }
    // Log-uniform: about half the draws fall below the geometric mean 0.01.
    const below = a.filter((c) => c.lr < 0.01).length;
    expect(below).toBeGreaterThan(15);
    expect(below).toBeLessThan(35);
  });
});

describe('trial CSV', () => {
  it('round-trips rows (quoted activations included) and picks the best seed per configuration', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-tune-'));
    const path = join(dir, 't.csv');
    const base = { lr: 0.01, batchSize: 32, hidden: '16', activations: 'relu,selu,tanh', optimizer: 'adam', status: 'done' as const, epochs: 2, valLoss: 0.5, seconds: 1.5 };
    const rows: TrialResult[] = [
      { ...base, config: 'A', seed: 1, valAccuracy: 0.8 },
      { ...base, config: 'A', seed: 2, valAccuracy: 0.9 },
      { ...base, config: 'B', seed: 1, valAccuracy: 0.85, status: 'stopped' },
    ];
    // A half-written last line (a crash mid-append) is ignored.
    writeFileSync(path, TRIAL_CSV_HEADER + rows.map(formatTrialRow).join('') + 'A,3,0.0');
    const back = readTrialCsv(path);
    expect(back).toEqual(rows);
    expect(bestPerConfig(back).map((r) => [r.config, r.seed])).toEqual([
      ['A', 2],
      ['B', 1],
    ]);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, runCli, startHarness } from './cli-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

// Two learning rates (one far too small) × two seeds, three epochs each, on two worker threads.
const ARGS = ['tune', '--dataset', 'tiny', '--lr', '0.01,0.000001', '--hidden', '16', '--batch-size', '16', '--seeds', '2', '--epochs', '3', '--val-split', '0.2', '--workers', '2', '--csv', 'trials.csv', '--out', 'best.safetensors'];

const rows = () => readFileSync(join(h.root, 'trials.csv'), 'utf8').trim().split('\n');

describe('scratchnet-cli tune', () => {
  it('runs a tiny grid on 2 workers: a CSV row per trial, hopeless trials stopped early, best seed per config, best model saved', async () => {
    const run = await runCli(h, ARGS);
    expect(run.code, run.stderr).toBe(0);
    // The search and its trials on stderr; the summary on stdout.
    expect(run.stderr).toContain('grid search: 2 configurations × 2 seeds = 4 trials of 3 epochs');
    expect(run.stderr).toContain('2 workers');
    expect(run.stderr).not.toContain('error');
    const csv = rows();
    expect(csv[0]).toBe('config,seed,lr,batch_size,hidden,activations,optimizer,status,epochs,val_loss,val_accuracy,seconds');
    expect(csv).toHaveLength(5);
    const trials = csv.slice(1).map((line) => line.split(','));
    const good = trials.filter((t) => t[2] === '0.01');
    const absurd = trials.filter((t) => t[2] === '0.000001');
    expect(absurd).toHaveLength(2);
    expect(good.map((t) => t[7])).toEqual(['done', 'done']);
    expect(good.every((t) => Number(t[10]) > 0.8)).toBe(true);
    // lr 1e-6 hardly moves: far below the finished trials' accuracy, so stopped before its third epoch.
    for (const t of absurd) {
      expect(['stopped', 'diverged']).toContain(t[7]);
      expect(Number(t[8])).toBeLessThan(3);
    }
    expect(run.stdout).toMatch(/best seed per configuration/);
    expect(run.stdout).toMatch(/lr=0\.01 bs=16 hidden=16 act=relu opt=adam\s+[12]\s+[\d.]+%/);
    expect(existsSync(join(h.root, 'best.safetensors'))).toBe(true);
    const info = await runCli(h, ['info', 'best.safetensors']);
    expect(info.stdout).toMatch(/0  Linear\(in_features=784, out_features=16, bias=True\) +\[16\] +12,560/);
  });

  it('is resumable: a re-run skips every finished trial', async () => {
    const again = await runCli(h, ARGS);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('4 already in trials.csv, skipped');
    expect(rows()).toHaveLength(5);
  });

  it('random search draws --trials configurations (learning rate between the given bounds)', async () => {
    const run = await runCli(h, ['tune', '--search', 'random', '--trials', '3', '--dataset', 'tiny', '--lr', '0.001,0.03', '--hidden', '8,16', '--seeds', '1', '--epochs', '1', '--val-split', '0.2', '--workers', '2', '--csv', 'random.csv', '--out', 'random.safetensors']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('random search: 3 configurations × 1 seed = 3 trials of 1 epoch');
    const lrs = readFileSync(join(h.root, 'random.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[2]));
    expect(lrs).toHaveLength(3);
    for (const lr of lrs) {
      expect(lr).toBeGreaterThanOrEqual(0.001);
      expect(lr).toBeLessThanOrEqual(0.03);
    }
    expect(new Set(lrs).size).toBe(3);
  });
});

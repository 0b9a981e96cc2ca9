import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { readRegularFileSync } from '../lib/regular-file.js';

/** Largest trials CSV read back: a row is ~100 bytes, so this is ~600,000 trials. */
const MAX_TRIAL_CSV_BYTES = 64 << 20;
import type { TrialConfig } from './search-space.js';

/** One finished trial (one configuration × one seed), one CSV row. */
export interface TrialResult extends TrialConfig {
  config: string;
  seed: number;
  /** 'done', or 'stopped' when the trial was hopeless and ended early, or 'diverged'; 'failed' (queue) when it crashed on every attempt. */
  status: 'done' | 'stopped' | 'diverged' | 'failed';
  epochs: number;
  valLoss: number;
  valAccuracy: number;
  seconds: number;
}

const COLUMNS = ['config', 'seed', 'lr', 'batch_size', 'hidden', 'activations', 'optimizer', 'status', 'epochs', 'val_loss', 'val_accuracy', 'seconds'] as const;

export const TRIAL_CSV_HEADER = `${COLUMNS.join(',')}\n`;

/** Quotes a cell when it holds a comma or quote (activations like "relu,selu,tanh" do). */
function cell(value: string | number): string {
  const s = String(value);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatTrialRow(r: TrialResult): string {
  const num = (v: number, p = 6) => (Number.isFinite(v) ? String(Number(v.toPrecision(p))) : 'NaN');
  return `${[r.config, r.seed, r.lr, r.batchSize, r.hidden, r.activations, r.optimizer, r.status, r.epochs, num(r.valLoss), num(r.valAccuracy), num(r.seconds, 4)].map(cell).join(',')}\n`;
}

function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(current);
      current = '';
    } else current += c;
  }
  cells.push(current);
  return cells;
}

/** Writes the whole CSV (queue searches: rebuilt from the results in Redis, so never a row twice), atomically. */
export function writeTrialCsv(path: string, rows: readonly TrialResult[]): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, TRIAL_CSV_HEADER + rows.map(formatTrialRow).join(''));
  renameSync(temporary, path);
}

/** Rows of an existing trials CSV (for resuming); an absent file has none. Incomplete lines are skipped. */
export function readTrialCsv(path: string): TrialResult[] {
  if (!existsSync(path)) return [];
  const lines = readRegularFileSync(path, '--csv', MAX_TRIAL_CSV_BYTES).toString('utf8').split('\n').slice(1);
  const rows: TrialResult[] = [];
  for (const line of lines) {
    const c = splitCsvLine(line);
    if (c.length !== COLUMNS.length) continue;
    rows.push({
      config: c[0],
      seed: Number(c[1]),
      lr: Number(c[2]),
      batchSize: Number(c[3]),
      hidden: c[4],
      activations: c[5],
      optimizer: c[6],
      status: c[7] as TrialResult['status'],
      epochs: Number(c[8]),
      valLoss: Number(c[9]),
      valAccuracy: Number(c[10]),
      seconds: Number(c[11]),
    });
  }
  return rows;
}

/** Ranking of trials: higher validation accuracy first, then lower validation loss (NaN last). */
export function compareTrials(a: TrialResult, b: TrialResult): number {
  const loss = (r: TrialResult) => (Number.isFinite(r.valLoss) ? r.valLoss : Number.POSITIVE_INFINITY);
  return b.valAccuracy - a.valAccuracy || loss(a) - loss(b) || 0;
}

/** The best seed of each configuration, best configuration first. */
export function bestPerConfig(rows: readonly TrialResult[]): TrialResult[] {
  const best = new Map<string, TrialResult>();
  for (const r of rows) {
    const b = best.get(r.config);
    if (!b || compareTrials(r, b) < 0) best.set(r.config, r);
  }
  return [...best.values()].sort(compareTrials);
}

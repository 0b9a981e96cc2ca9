/** What one progress redraw shows. */
export interface ProgressState {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  samplesPerSecond: number;
  etaSeconds: number;
  runningLoss: number;
}

/** One line of progress: `epoch 3/10 [██████░░░░] 120/235  8.1k samples/s  ETA 4s  loss 0.3124`. */
export function formatProgress(state: ProgressState, width = 24): string {
  const fraction = state.batches > 0 ? state.batch / state.batches : 0;
  const filled = Math.round(fraction * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  return (
    `epoch ${state.epoch}/${state.epochs} [${bar}] ${state.batch}/${state.batches}` +
    `  ${formatRate(state.samplesPerSecond)} samples/s  ETA ${formatDuration(state.etaSeconds)}` +
    `  loss ${state.runningLoss.toFixed(4)}`
  );
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '–';
  return perSecond >= 10_000 ? `${(perSecond / 1000).toFixed(1)}k` : perSecond.toFixed(0);
}

/** 75 → "1m15s", 3.2 → "3.2s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  return m < 60 ? `${m}m${String(s).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

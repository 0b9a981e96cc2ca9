import { formatDuration } from './progress-bar.js';
import type { Reporter } from './reporter.js';

/**
 * Progress of a long data load (decoding an image folder), drawn like the training bar:
 * `loading images [██████░░░░] 12000/60000  ETA 4s` redrawn on a terminal at most ~10 times a
 * second; in a pipe, a plain line at each tenth (only for loads of 1,000 files or more); nothing
 * in --json mode.
 */
export function loadProgress(reporter: Reporter, stream: NodeJS.WriteStream = process.stderr): (done: number, total: number) => void {
  const started = Date.now();
  let lastDraw = 0;
  let lastTenth = 0;
  let shown = false;
  return (done, total) => {
    if (reporter.mode === 'json' || total === 0) return;
    const fraction = done / total;
    const elapsed = (Date.now() - started) / 1000;
    const eta = done > 0 ? (elapsed * (total - done)) / done : Number.NaN;
    const width = 24;
    const filled = Math.round(fraction * width);
    const line = `loading images [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}  ETA ${formatDuration(eta)}`;
    if (reporter.mode === 'tty') {
      const now = Date.now();
      if (done < total && now - lastDraw < 100) return;
      lastDraw = now;
      stream.write(done < total ? `\r\x1b[2K${line.slice(0, (stream.columns ?? 100) - 1)}` : shown ? '\r\x1b[2K' : '');
      shown = done < total;
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (total >= 1000 && tenth > lastTenth) {
      lastTenth = tenth;
      reporter.note(`loading images ${done}/${total} (${tenth * 10}%)`);
    }
  };
}

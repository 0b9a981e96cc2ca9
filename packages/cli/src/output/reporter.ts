import { canRedraw } from './colour.js';
import type { EpochRow } from './metrics-csv.js';
import { type ProgressState, formatDuration, formatProgress } from './progress-bar.js';

export type OutputMode = 'tty' | 'plain' | 'json';

/** A terminal (on stderr, where progress goes) gets live redraws; a pipe gets plain lines; --json gets one JSON object a line. */
export function pickOutputMode(json: boolean | undefined, stream: NodeJS.WriteStream = process.stderr): OutputMode {
  if (json) return 'json';
  return canRedraw(stream) ? 'tty' : 'plain';
}

/**
 * Everything a long-running command prints goes through here, so the three output modes stay
 * consistent and every line lands on the right stream: `note` for progress and notices (stderr),
 * `result` for what the command computed (stdout), `event` for machine-readable records (stdout,
 * --json only), `progress` for the live bar (a terminal only — never control characters in a pipe).
 */
export class Reporter {
  private progressShown = false;
  private lastDraw = 0;

  constructor(
    readonly mode: OutputMode,
    /** Progress, notices and charts. */
    private readonly out: NodeJS.WritableStream = process.stderr,
    /** Results: the figures a script would keep. */
    private readonly results: NodeJS.WritableStream = process.stdout,
  ) {}

  /** A line for people (suppressed in --json mode, where `event` carries the data). */
  note(text: string): void {
    if (this.mode === 'json') return;
    this.clearProgress();
    this.out.write(`${text}\n`);
  }

  /** A result line for people, on stdout (suppressed in --json mode, where `event` carries the data). */
  result(text: string): void {
    if (this.mode === 'json') return;
    this.clearProgress();
    this.results.write(`${text}\n`);
  }

  /** A record for machines: printed as a JSON line on stdout in --json mode only. */
  event(type: string, data: Record<string, unknown>): void {
    if (this.mode !== 'json') return;
    this.results.write(`${JSON.stringify({ event: type, ...data })}\n`);
  }

  /** Redraws the progress line, at most ~10 times a second. */
  progress(state: ProgressState): void {
    if (this.mode !== 'tty') return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && state.batch < state.batches) return;
    this.lastDraw = now;
    const columns = (this.out as NodeJS.WriteStream).columns ?? 100;
    this.out.write(`\r\x1b[2K${formatProgress(state).slice(0, columns - 1)}`);
    this.progressShown = true;
  }

  clearProgress(): void {
    if (this.progressShown) {
      this.out.write('\r\x1b[2K');
      this.progressShown = false;
    }
  }

  /** The one-line summary after each epoch, plus the matching JSON event. */
  epoch(row: EpochRow, epochs: number): void {
    const val =
      row.valLoss !== undefined ? `  val loss ${row.valLoss.toFixed(4)} acc ${(row.valAccuracy! * 100).toFixed(2)}%` : '';
    this.note(
      `epoch ${String(row.epoch).padStart(String(epochs).length)}/${epochs}  train loss ${row.trainLoss.toFixed(4)} acc ${(row.trainAccuracy * 100).toFixed(2)}%${val}  lr ${row.learningRate.toPrecision(3)}  ${formatDuration(row.seconds)}`,
    );
    this.event('epoch', { ...row });
  }
}

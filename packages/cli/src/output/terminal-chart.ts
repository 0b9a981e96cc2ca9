/** A named series of y values, one per epoch. */
export interface Series {
  name: string;
  values: readonly number[];
  /** Character plotted for this series. */
  mark: string;
}

/**
 * Draws series as a text chart (rows × columns of characters) with a y axis on the left and a
 * legend below. Plain characters only, so it reads the same on a terminal and in a log file.
 */
export function drawTerminalChart(series: readonly Series[], options: { height?: number; width?: number; title?: string } = {}): string {
  const height = options.height ?? 10;
  const finite = series.flatMap((s) => s.values.filter(Number.isFinite));
  const points = Math.max(0, ...series.map((s) => s.values.length));
  if (finite.length === 0 || points === 0) return '';
  const width = Math.max(2, Math.min(options.width ?? 60, Math.max(points, 2) * 4));
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi - lo < 1e-12) {
    hi += 0.5;
    lo -= 0.5;
  }
  const grid = Array.from({ length: height }, () => Array<string>(width).fill(' '));
  const column = (i: number) => (points === 1 ? 0 : Math.round((i / (points - 1)) * (width - 1)));
  const row = (v: number) => height - 1 - Math.round(((v - lo) / (hi - lo)) * (height - 1));
  for (const s of series) {
    s.values.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      // Join consecutive points with the series mark so the line reads as a line.
      const next = s.values[i + 1];
      const c0 = column(i);
      const r0 = row(v);
      grid[r0][c0] = s.mark;
      if (next !== undefined && Number.isFinite(next)) {
        const c1 = column(i + 1);
        const r1 = row(next);
        for (let c = c0 + 1; c < c1; c++) {
          const r = Math.round(r0 + ((r1 - r0) * (c - c0)) / (c1 - c0));
          if (grid[r][c] === ' ') grid[r][c] = '·';
        }
      }
    });
  }
  const labels = grid.map((_, r) => {
    const value = hi - ((hi - lo) * r) / (height - 1);
    return r === 0 || r === height - 1 || r === Math.floor(height / 2) ? value.toFixed(3) : '';
  });
  const labelWidth = Math.max(...labels.map((l) => l.length));
  const lines = grid.map((cells, r) => `${labels[r].padStart(labelWidth)} ┤${cells.join('')}`);
  lines.push(`${' '.repeat(labelWidth)} └${'─'.repeat(width)}`);
  const last = points > 1 ? `${' '.repeat(Math.max(1, width - 8 - String(points).length))}${points}` : '';
  lines.push(`${' '.repeat(labelWidth)}  epoch 1${last}`);
  lines.push(`${' '.repeat(labelWidth)}  ${series.map((s) => `${s.mark} ${s.name}`).join('   ')}`);
  if (options.title) lines.unshift(options.title);
  return lines.join('\n');
}

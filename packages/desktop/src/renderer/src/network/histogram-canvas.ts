import { type Histogram, histogram } from '../training/layer-histograms.js';
import { themeColour } from '../ui/theme.js';

function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  const context = canvas.getContext('2d');
  context?.clearRect(0, 0, canvas.width, canvas.height);
  return context;
}

/** Bars of one histogram (of `values`, or a histogram already counted), with the range written under it. */
export function drawHistogram(canvas: HTMLCanvasElement, values: ArrayLike<number> | Histogram): void {
  const bins = 'counts' in values ? values : histogram(values);
  const context = context2d(canvas);
  if (!context) return;
  const { width, height } = canvas;
  const plot = height - 16;
  const top = Math.max(1, ...bins.counts);
  const barWidth = width / bins.counts.length;
  context.fillStyle = themeColour('--accent', '#6ea8fe');
  bins.counts.forEach((n, i) => {
    const barHeight = (n / top) * plot;
    context.fillRect(i * barWidth + 0.5, plot - barHeight, Math.max(1, barWidth - 1), barHeight);
  });
  context.fillStyle = themeColour('--muted', '#9aa4b8');
  context.font = '11px system-ui, sans-serif';
  context.textBaseline = 'bottom';
  context.textAlign = 'left';
  context.fillText(bins.min.toPrecision(2), 0, height);
  context.textAlign = 'right';
  context.fillText(bins.max.toPrecision(2), width, height);
  if (bins.min < 0 && bins.max > 0) {
    const zero = (-bins.min / (bins.max - bins.min)) * width;
    context.fillStyle = themeColour('--line', '#2a3550');
    context.fillRect(zero, 0, 1, plot);
  }
}

/**
 * Histograms over training, as TensorBoard's and tfjs-vis's distributions: time to the right (one
 * column per report), value upwards on one axis for the whole run, darker where more values fall.
 * Returns the value range drawn.
 */
export function drawHistogramHistory(canvas: HTMLCanvasElement, series: ReadonlyArray<Histogram | null>): { min: number; max: number } {
  const context = context2d(canvas);
  const present = series.filter((s): s is Histogram => s !== null);
  if (!context || present.length === 0) return { min: 0, max: 0 };
  let min = Math.min(...present.map((s) => s.min));
  let max = Math.max(...present.map((s) => s.max));
  if (max === min) {
    min -= 1e-6;
    max += 1e-6;
  }
  const { width, height } = canvas;
  const columnWidth = width / series.length;
  const [r, g, b] = rgb(themeColour('--accent', '#6ea8fe'));
  const toY = (v: number) => height - ((v - min) / (max - min)) * height;
  series.forEach((s, column) => {
    if (!s) return;
    const top = Math.max(1, ...s.counts);
    const binWidth = (s.max - s.min) / s.counts.length;
    s.counts.forEach((n, i) => {
      if (n === 0) return;
      const y0 = toY(s.min + i * binWidth);
      const y1 = toY(s.min + (i + 1) * binWidth);
      context.fillStyle = `rgba(${r}, ${g}, ${b}, ${(0.15 + 0.85 * (n / top)).toFixed(3)})`;
      context.fillRect(column * columnWidth, Math.min(y0, y1), Math.ceil(columnWidth), Math.max(1, Math.abs(y1 - y0)));
    });
  });
  if (min < 0 && max > 0) {
    context.fillStyle = themeColour('--muted', '#9aa4b8');
    context.fillRect(0, toY(0), width, 1);
  }
  return { min, max };
}

/** "#6ea8fe" or "rgb(…)" → [r, g, b]. */
function rgb(colour: string): [number, number, number] {
  const hex = colour.match(/^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i);
  if (hex) return [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16)];
  const parts = colour.match(/\d+/g);
  return parts && parts.length >= 3 ? [Number(parts[0]), Number(parts[1]), Number(parts[2])] : [110, 168, 254];
}

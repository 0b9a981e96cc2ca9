import type { Series } from './terminal-chart.js';

const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'];

/**
 * A stand-alone SVG line chart of per-epoch series (the convergence plot written next to a
 * checkpoint). Axes, ticks and a legend; no external fonts or scripts.
 */
export function drawSvgChart(series: readonly Series[], options: { title?: string; yLabel?: string } = {}): string {
  const width = 640;
  const height = 400;
  const margin = { left: 64, right: 20, top: 40, bottom: 48 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const finite = series.flatMap((s) => s.values.filter(Number.isFinite));
  const points = Math.max(1, ...series.map((s) => s.values.length));
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (hi - lo < 1e-12) {
    hi += 0.5;
    lo -= 0.5;
  }
  const x = (i: number) => margin.left + (points === 1 ? plotW / 2 : (i / (points - 1)) * plotW);
  const y = (v: number) => margin.top + (1 - (v - lo) / (hi - lo)) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  if (options.title) parts.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(options.title)}</text>`);
  for (let t = 0; t <= 4; t++) {
    const v = lo + ((hi - lo) * t) / 4;
    const yy = y(v).toFixed(1);
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${yy}" y2="${yy}" stroke="#ddd"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${v.toFixed(3)}</text>`);
  }
  const tickEvery = Math.max(1, Math.ceil(points / 10));
  for (let i = 0; i < points; i += tickEvery) {
    parts.push(`<text x="${x(i).toFixed(1)}" y="${height - margin.bottom + 16}" text-anchor="middle">${i + 1}</text>`);
  }
  parts.push(`<text x="${margin.left + plotW / 2}" y="${height - 10}" text-anchor="middle">epoch</text>`);
  if (options.yLabel) {
    parts.push(`<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`);
  }
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  series.forEach((s, k) => {
    const colour = COLOURS[k % COLOURS.length];
    const path = s.values
      .map((v, i) => (Number.isFinite(v) ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : ''))
      .filter(Boolean)
      .join(' ');
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${path}"/>`);
    const ly = margin.top + 14 + k * 16;
    parts.push(`<line x1="${width - margin.right - 120}" x2="${width - margin.right - 100}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`);
    parts.push(`<text x="${width - margin.right - 94}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

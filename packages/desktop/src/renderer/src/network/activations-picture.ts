import { maxAbs } from '../ui/colour-scale.js';
import { paintGrey } from '../ui/image-canvas.js';
import type { LayerOutput } from './layer-probe.js';
import { type Trace, unitValues } from './trace.js';

/** A column shows at most this many units: the strongest, plus every traced one. */
export const MAX_UNITS_SHOWN = 24;
/** The strongest units of each column are ringed. */
export const STRONGEST = 3;
const COLUMN_WIDTH = 112;
const UNIT_GAP = 18;
const TOP = 52;
const RADIUS = 6.5;
const SVG_NS = 'http://www.w3.org/2000/svg';

function svgElement<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, ...children: Array<SVGElement | string>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  for (const child of children) element.append(child);
  return element;
}

const SHORT: Record<string, string> = {
  dense: 'Linear',
  conv2d: 'Conv2d',
  max_pool2d: 'MaxPool',
  avg_pool2d: 'AvgPool',
  batch_norm1d: 'BatchNorm',
  batch_norm2d: 'BatchNorm',
  relu: 'ReLU',
  leaky_relu: 'LeakyReLU',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  selu: 'SELU',
  softmax: 'Softmax',
  identity: 'Identity',
  dropout: 'Dropout',
  flatten: 'Flatten',
};

/** The units a column shows: all when few, else the strongest |value|s plus the traced ones, in index order. */
export function shownUnits(values: Float32Array, traced: readonly number[]): number[] {
  if (values.length <= MAX_UNITS_SHOWN) return Array.from(values, (_, i) => i);
  const order = Array.from(values, (_, i) => i).sort((a, b) => Math.abs(values[b]) - Math.abs(values[a]));
  const picked = new Set(traced);
  for (const i of order) {
    if (picked.size >= MAX_UNITS_SHOWN) break;
    picked.add(i);
  }
  return [...picked].sort((a, b) => a - b);
}

/** Indices of the `count` largest values. */
function strongest(values: Float32Array, count: number): Set<number> {
  return new Set(Array.from(values, (_, i) => i).sort((a, b) => values[b] - values[a]).slice(0, count));
}

/**
 * The picture of the activations: the input image, then one column per layer, units as circles
 * coloured by value (orange positive, blue negative, scaled per column), the strongest ringed, the
 * trace drawn as lines whose width follows each contribution. Also a sentence saying the same for
 * screen readers and the curious.
 */
export function activationsPicture(outputs: LayerOutput[], input: Float32Array, imageShape: readonly number[], trace: Trace, classNames: readonly string[]): { svg: SVGSVGElement; description: string } {
  const columns = outputs.map((output) => {
    const values = unitValues(output);
    const traced = trace.units.get(output.index) ?? [];
    return { output, values, traced, shown: shownUnits(values, traced), strong: strongest(values, STRONGEST), limit: maxAbs(values) };
  });
  const tallest = Math.max(...columns.map((c) => c.shown.length), 10);
  const height = TOP + tallest * UNIT_GAP + 16;
  const width = COLUMN_WIDTH * (columns.length + 1) + 40;
  const y = (position: number, count: number) => TOP + (tallest - count) * (UNIT_GAP / 2) + position * UNIT_GAP + UNIT_GAP / 2;
  const x = (column: number) => COLUMN_WIDTH * (column + 1) + COLUMN_WIDTH / 2;
  const svg = svgElement('svg', { class: 'activations', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'data-testid': 'activations-svg', 'data-columns': columns.length });

  // The input as the network sees it.
  const rows = imageShape.length >= 2 ? imageShape[imageShape.length - 2] : 1;
  const cols = imageShape.length >= 2 ? imageShape[imageShape.length - 1] : input.length;
  if (rows * cols === input.length) {
    const canvas = document.createElement('canvas');
    paintGrey(canvas, input, cols, rows, 1);
    const size = Math.min(COLUMN_WIDTH - 20, 92);
    svg.append(
      svgElement('text', { x: COLUMN_WIDTH / 2, y: 20, class: 'column-title' }, 'Input'),
      svgElement('text', { x: COLUMN_WIDTH / 2, y: 36, class: 'column-shape' }, imageShape.join('×')),
      svgElement('image', { x: (COLUMN_WIDTH - size) / 2, y: height / 2 - size / 2, width: size, height: size, href: canvas.toDataURL(), class: 'input-image' }),
    );
  }

  // Trace lines first, under the circles.
  const maxContribution = Math.max(1e-12, ...trace.links.map((l) => l.contribution));
  const position = (column: number, unit: number) => {
    const at = columns[column]?.shown.indexOf(unit) ?? -1;
    return at < 0 ? null : { x: x(column), y: y(at, columns[column].shown.length) };
  };
  const lines = svgElement('g', { class: 'trace' });
  for (const link of trace.links) {
    const to = position(link.layer, link.to);
    const from = link.layer === 0 ? null : position(link.layer - 1, link.from);
    if (!to || !from) continue;
    const width = link.contribution > 0 ? 1 + 4 * (link.contribution / maxContribution) : 1.5;
    lines.append(svgElement('line', { x1: from.x + RADIUS, y1: from.y, x2: to.x - RADIUS, y2: to.y, 'stroke-width': width.toFixed(2), 'data-layer': link.layer }));
  }
  svg.append(lines);

  columns.forEach((column, c) => {
    const { output, values, shown, strong, limit, traced } = column;
    const last = c === columns.length - 1;
    svg.append(
      svgElement('text', { x: x(c), y: 20, class: 'column-title' }, svgElement('title', {}, output.description), `${output.index} ${SHORT[output.type] ?? output.type}`),
      svgElement('text', { x: x(c), y: 36, class: 'column-shape' }, values.length > shown.length ? `${shown.length} of ${values.length}` : output.shape.join('×')),
    );
    const group = svgElement('g', { 'data-testid': `activation-column-${output.index}`, 'data-units': values.length });
    shown.forEach((unit, k) => {
      const value = values[unit];
      const t = limit > 0 ? Math.min(1, Math.abs(value) / limit) : 0;
      const classes = ['unit', value >= 0 ? 'positive' : 'negative'];
      if (strong.has(unit)) classes.push('strong');
      if (traced.includes(unit)) classes.push('traced');
      const circle = svgElement('circle', { cx: x(c), cy: y(k, shown.length), r: RADIUS, class: classes.join(' '), 'fill-opacity': (0.08 + 0.92 * t).toFixed(3) }, svgElement('title', {}, `unit ${unit}: ${value.toPrecision(3)}`));
      group.append(circle);
      if (last) group.append(svgElement('text', { x: x(c) + RADIUS + 5, y: y(k, shown.length) + 4, class: 'unit-label' }, classNames[unit] ?? String(unit)));
    });
    svg.append(group);
  });

  const path = [...trace.units.entries()]
    .sort((a, b) => b[0] - a[0])
    .filter(([layer]) => outputs[layer]?.type === 'dense')
    .map(([layer, units]) => `layer ${layer} unit${units.length > 1 ? 's' : ''} ${units.join(', ')}`);
  const best = trace.units.get(outputs.length - 1)?.[0] ?? 0;
  const stop = trace.stoppedAt >= 0 ? ` The trace stops at layer ${trace.stoppedAt} (${SHORT[outputs[trace.stoppedAt].type] ?? outputs[trace.stoppedAt].type}), whose units mix many inputs.` : '';
  const description = `Prediction: ${classNames[best] ?? best}. Traced back along the largest weight × activation: ${path.join(' ← ')}.${stop}`;
  svg.setAttribute('aria-label', `Activations of ${columns.length} layers. ${description}`);
  return { svg, description };
}

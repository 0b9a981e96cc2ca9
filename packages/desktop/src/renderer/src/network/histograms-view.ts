import { h, replaceChildren } from '../ui/dom.js';
import { onThemeChange } from '../ui/theme.js';
import { drawHistogram, drawHistogramHistory } from './histogram-canvas.js';
import { explain } from './explain.js';
import type { NetworkPanel, NetworkState } from './network-state.js';

/** Repaint at most this often while reports stream in. */
const REPAINT_INTERVAL_MS = 500;

/**
 * Per-layer histograms of weights and gradients over training (tfjs-vis's and TensorBoard's
 * picture), counted in the training worker (training/layer-histograms.ts) and posted here.
 */
export function createHistogramsView(state: NetworkState): NetworkPanel {
  const rows = h('div', { class: 'histogram-rows', 'data-testid': 'histogram-rows', 'data-reports': 0 });
  const status = h('p', { class: 'hint', 'data-testid': 'histograms-status' });
  const element = h(
    'section',
    { class: 'card network-card', 'data-testid': 'histograms-view' },
    h('h2', {}, 'Weights and gradients over training'),
    explain(
      'What is this?',
      'For every weight matrix and bias: how its values are spread, from the start of the run (left) to now (right). Upwards is the value; darker means more values there. Weights that spread out are learning; gradients shrinking towards zero mean learning is slowing down, and gradients that vanish or explode in one layer point to a problem there. The bars on the right are the latest spread.',
    ),
    status,
    rows,
  );
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastPaint = 0;
  let paintedReports = -1;

  function isHidden(): boolean {
    return element.closest('[hidden]') !== null || !element.isConnected;
  }

  function schedule(): void {
    if (timer !== null || isHidden()) return;
    timer = setTimeout(paint, Math.max(0, lastPaint + REPAINT_INTERVAL_MS - performance.now()));
  }

  function paint(): void {
    timer = null;
    if (isHidden()) return;
    lastPaint = performance.now();
    const history = state.history;
    paintedReports = history.length;
    rows.setAttribute('data-reports', String(history.length));
    if (history.length === 0) {
      status.textContent = 'Start a run on the Train screen: the histograms fill in as it trains.';
      replaceChildren(rows);
      return;
    }
    const latest = history[history.length - 1];
    status.textContent = `${history.length} snapshots, from epoch 0 to ${latest.epoch.toFixed(2)}.`;
    replaceChildren(
      rows,
      ...latest.histograms.map((parameter, p) => {
        const weights = history.map((point) => point.histograms[p]?.weights ?? null);
        const gradients = history.map((point) => point.histograms[p]?.gradients ?? null);
        const weightCanvas = h('canvas', { class: 'history', width: 260, height: 90, 'aria-hidden': 'true' });
        const gradientCanvas = h('canvas', { class: 'history', width: 260, height: 90, 'aria-hidden': 'true' });
        const latestWeights = h('canvas', { class: 'histogram', width: 150, height: 90, 'aria-hidden': 'true' });
        const latestGradients = h('canvas', { class: 'histogram', width: 150, height: 90, 'aria-hidden': 'true' });
        const w = drawHistogramHistory(weightCanvas, weights);
        const g = drawHistogramHistory(gradientCanvas, gradients);
        drawHistogram(latestWeights, parameter.weights);
        if (parameter.gradients) drawHistogram(latestGradients, parameter.gradients);
        const gradientNote = parameter.gradients ? `mean ${parameter.gradients.mean.toPrecision(2)}, std ${parameter.gradients.std.toPrecision(2)}` : 'no step yet';
        return h(
          'div',
          {
            class: 'histogram-row',
            'data-testid': `hist-${parameter.name}`,
            'data-weight-std': parameter.weights.std,
            'data-first-weight-std': history[0].histograms[p]?.weights.std ?? '',
            'data-gradient-std': parameter.gradients?.std ?? '',
          },
          h('div', { class: 'histogram-name' }, h('code', {}, parameter.name), h('span', { class: 'hint' }, ` [${parameter.shape.join(', ')}]`)),
          h(
            'figure',
            {},
            h('figcaption', {}, `Weights (${w.min.toPrecision(2)} to ${w.max.toPrecision(2)}): mean ${parameter.weights.mean.toPrecision(2)}, std ${parameter.weights.std.toPrecision(2)}`),
            h('div', { class: 'histogram-pair' }, weightCanvas, latestWeights),
          ),
          h(
            'figure',
            {},
            h('figcaption', {}, `Gradients (${g.min.toPrecision(2)} to ${g.max.toPrecision(2)}): ${gradientNote}`),
            h('div', { class: 'histogram-pair' }, gradientCanvas, latestGradients),
          ),
        );
      }),
    );
  }

  state.on('histograms', schedule);
  onThemeChange(() => {
    paintedReports = -1;
    schedule();
  });
  return {
    element,
    refresh() {
      if (paintedReports !== state.history.length) schedule();
    },
  };
}

import { h, replaceChildren } from '../ui/dom.js';
import { DIVERGING_GRADIENT, paintScaled } from '../ui/colour-scale.js';
import type { NetworkPanel, NetworkState, ShownWeights } from './network-state.js';
import { explain } from './explain.js';
import { type UnitImages, unitImages } from './unit-images.js';

/** Painting stops for the frame after this many ms, so a 784-unit layer never blocks the page. */
const FRAME_BUDGET_MS = 5;
/** While training, the grid is repainted at most this often. */
const REPAINT_INTERVAL_MS = 400;

/**
 * First-layer weights, one image per hidden unit (3Blue1Brown's picture): blue pixels push the
 * unit down, orange ones up. Live while a run trains (the worker's reports, throttled), with a
 * switch to the same layer when the run started. Any input shape, any number of units (a scrollable grid).
 */
export function createWeightsView(state: NetworkState): NetworkPanel {
  const moment = h(
    'select',
    { 'data-testid': 'weights-moment', 'aria-label': 'Which weights to show' },
    h('option', { value: 'now' }, 'Now'),
    h('option', { value: 'start' }, 'When this run started'),
  );
  const perUnit = h('input', { type: 'checkbox', 'data-testid': 'weights-per-unit' });
  const caption = h('p', { class: 'hint', 'data-testid': 'weights-caption', 'aria-live': 'polite' });
  const legend = h('span', { class: 'scale-bar' });
  legend.style.background = DIVERGING_GRADIENT;
  const grid = h('div', {
    class: 'unit-grid',
    'data-testid': 'weight-units',
    tabindex: 0,
    role: 'group',
    'aria-label': 'First-layer weights, one image per unit',
    'data-updates': 0,
    'data-units': 0,
  });
  const element = h(
    'section',
    { class: 'card network-card', 'data-testid': 'weights-view' },
    h('h2', {}, 'First-layer weights'),
    explain(
      'What is this?',
      'Each small image is one unit of the first layer. A pixel is the weight from that input pixel to the unit: orange means ink there raises the unit, blue means ink there lowers it. Before training they are noise; as the network learns they turn into strokes and blobs, the patterns each unit looks for.',
    ),
    h(
      'div',
      { class: 'network-toolbar' },
      h('label', { class: 'inline' }, 'Show', moment),
      h('label', { class: 'check' }, perUnit, 'Scale each image on its own'),
      h('span', { class: 'scale-legend' }, h('span', {}, '−'), legend, h('span', {}, '+')),
    ),
    caption,
    grid,
  );

  let canvases: HTMLCanvasElement[] = [];
  let painted: { weights: ShownWeights; perUnit: boolean } | null = null;
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastPaint = 0;
  let updates = 0;
  let images: (UnitImages & { source: ShownWeights }) | null = null;

  function shown(): ShownWeights | null {
    return moment.value === 'start' ? state.startWeights : state.weights;
  }

  /** Repaints soon: at once when idle, throttled while reports stream in. */
  function schedule(): void {
    if (frame || timer) return;
    const wait = Math.max(0, lastPaint + REPAINT_INTERVAL_MS - performance.now());
    timer = setTimeout(() => {
      timer = null;
      frame = requestAnimationFrame(() => paint(true));
    }, wait);
  }

  /** Units not yet painted with the current weights, and the units in (or near) the grid's viewport. */
  let dirty = new Set<number>();
  const visible = new Set<number>();
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const unit = Number((entry.target as HTMLElement).dataset.unit);
        if (entry.isIntersecting) visible.add(unit);
        else visible.delete(unit);
      }
      // Scrolled into view: paint what is new there.
      if (!frame && [...visible].some((u) => dirty.has(u))) frame = requestAnimationFrame(() => paint(false));
    },
    { root: grid, rootMargin: '200px' },
  );

  /**
   * With `restart`, lays out the newest weights and marks every unit to paint; then paints the
   * marked units that are in view, as many as fit in the frame budget, continuing next frame.
   * Units out of view wait until they are scrolled to: with 784 units only a few dozen are painted.
   */
  function paint(restart: boolean): void {
    frame = 0;
    if (isHidden()) return;
    if (restart || !images) {
      const weights = shown();
      if (!weights) {
        observer.disconnect();
        visible.clear();
        canvases = [];
        images = null;
        replaceChildren(grid, h('p', { class: 'hint' }, moment.value === 'start' ? 'Start a run on the Train screen: its first weights appear here.' : 'No model yet: train one or load a checkpoint.'));
        caption.textContent = '';
        grid.setAttribute('data-units', '0');
        return;
      }
      lastPaint = performance.now();
      images = { source: weights, ...unitImages(weights.shape, weights.data, state.imageShape(weights.shape.slice(1).reduce((a, b) => a * b, 1))) };
      if (canvases.length !== images.units) {
        observer.disconnect();
        visible.clear();
        canvases = Array.from({ length: images.units }, (_, u) => h('canvas', { class: 'unit', 'data-testid': `weight-unit-${u}`, 'aria-hidden': 'true' }));
        const figures = canvases.map((c, u) => h('figure', { 'data-unit': u }, c, h('figcaption', {}, String(u))));
        replaceChildren(grid, ...figures);
        for (const figure of figures) observer.observe(figure);
      }
      dirty = new Set(canvases.keys());
      const when = weights.epoch === null ? 'as loaded' : weights.epoch === 0 ? 'untrained' : `after ${formatEpoch(weights.epoch)} epochs`;
      caption.textContent = `${weights.name} · ${images.units} units · each ${images.rows}×${images.cols} · ${when} · ${perUnit.checked ? 'each image on its own scale' : `scale ±${images.limit.toPrecision(2)}`}`;
      grid.setAttribute('data-units', String(images.units));
      grid.setAttribute('data-epoch', weights.epoch === null ? '' : String(weights.epoch));
      grid.setAttribute('data-moment', moment.value);
      painted = { weights, perUnit: perUnit.checked };
    }
    const started = performance.now();
    const size = images.rows * images.cols;
    const todo = [...visible].filter((u) => dirty.has(u)).sort((a, b) => a - b);
    let k = 0;
    for (; k < todo.length && (k === 0 || performance.now() - started < FRAME_BUDGET_MS); k++) {
      const u = todo[k];
      let limit = images.limit;
      if (perUnit.checked) {
        limit = 0;
        for (let i = 0; i < size; i++) limit = Math.max(limit, Math.abs(images.pixels[u * size + i]));
      }
      paintScaled(canvases[u], images.pixels, u * size, images.rows, images.cols, limit, true);
      dirty.delete(u);
    }
    grid.setAttribute('data-painted', String(images.units - dirty.size));
    if (k < todo.length) {
      frame = requestAnimationFrame(() => paint(false));
      return;
    }
    grid.setAttribute('data-updates', String(++updates));
    if (shown() !== images.source) schedule();
  }

  function isHidden(): boolean {
    return element.closest('[hidden]') !== null || !element.isConnected;
  }

  state.on('weights', schedule);
  /** Starts over at once (a switch was changed), dropping a repaint in progress. */
  const repaintNow = () => {
    cancelAnimationFrame(frame);
    paint(true);
  };
  moment.addEventListener('change', repaintNow);
  perUnit.addEventListener('change', repaintNow);
  return {
    element,
    // Shown again after a tab switch: repaint if anything changed while hidden.
    refresh() {
      if (painted?.weights !== shown() || painted?.perUnit !== perUnit.checked) schedule();
    },
  };
}

function formatEpoch(epoch: number): string {
  return Number.isInteger(epoch) ? String(epoch) : epoch.toFixed(2);
}

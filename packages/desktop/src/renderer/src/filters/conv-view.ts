import { summarizeModel } from '@scratchnet/core';
import type { AppState } from '../app-state.js';
import { IMAGE_SHAPE } from '../data/dataset-catalog.js';
import { acceptsImages } from '../model/model-snapshot.js';
import type { FirstConvolution, Predictor } from '../model/predictor.js';
import { h, replaceChildren } from '../ui/dom.js';
import { DIVERGING_GRADIENT, maxAbs, paintScaled } from '../ui/colour-scale.js';

/**
 * Feature maps are recomputed at most this often while a stroke goes on (and once after it
 * ends): never inside the animation frame that predicts, so drawing stays smooth.
 */
export const FEATURE_MAP_INTERVAL_MS = 120;

export interface ConvView {
  readonly element: HTMLElement;
  /** Whether the current model has a convolution to show. */
  readonly available: boolean;
  /** The image the network sees now (null: nothing drawn); cheap, the maps follow throttled. */
  setInput(input: Float32Array | null): void;
  /** Shows or hides the view (hidden, it computes nothing). */
  show(visible: boolean): void;
}

/**
 * The first convolution of the current model: one small image per filter (weights on a diverging
 * scale shared by the layer: blue negative, orange positive), and what each filter makes of the
 * drawing — the feature maps after the convolution and after the activation that follows it.
 */
export function createConvView(app: AppState): ConvView {
  const title = h('div', { class: 'conv-title', 'data-testid': 'conv-layer' });
  const filters = h('div', { class: 'conv-grid filters', 'data-testid': 'conv-filters' });
  const legend = h('div', { class: 'scale-legend' }, h('span', {}, '−'), h('span', { class: 'scale-bar' }), h('span', {}, '+'));
  (legend.children[1] as HTMLElement).style.background = DIVERGING_GRADIENT;
  const legendNote = h('span', { class: 'hint', 'data-testid': 'filter-range' });
  const mapsTitle = h('h3', {}, 'After the convolution');
  const maps = h('div', { class: 'conv-grid maps', 'data-testid': 'feature-maps', 'data-updates': 0, 'data-signature': '' });
  const activatedTitle = h('h3', {});
  const activated = h('div', { class: 'conv-grid maps', 'data-testid': 'activated-maps' });
  const mapsNote = h('p', { class: 'hint', 'data-testid': 'feature-maps-note' });
  const element = h(
    'div',
    { class: 'card conv-card', 'data-testid': 'conv-view', hidden: true },
    h('h2', {}, 'Filters and feature maps'),
    title,
    h('div', { class: 'conv-section' }, h('h3', {}, 'Filters of the first convolution'), filters, h('div', { class: 'legend-row' }, legend, legendNote)),
    h('div', { class: 'conv-section' }, mapsTitle, maps, activatedTitle, activated, mapsNote),
  );

  let predictor: Predictor | null = null;
  let input: Float32Array | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let updates = 0;
  let mapCanvases: HTMLCanvasElement[] = [];
  let activatedCanvases: HTMLCanvasElement[] = [];

  function figure(canvas: HTMLCanvasElement, caption: string): HTMLElement {
    return h('figure', {}, canvas, h('figcaption', {}, caption));
  }

  /** Builds the filter images and empty map canvases for a new model. */
  function rebuild(): void {
    predictor = app.predictor;
    const layer = predictor?.firstConvLayer ?? -1;
    // Only for a model that takes the drawings (1×28×28) and has a convolution.
    if (!predictor || layer < 0 || !app.model || !acceptsImages(app.model.spec, IMAGE_SHAPE)) {
      predictor = null;
      replaceChildren(filters);
      replaceChildren(maps);
      replaceChildren(activated);
      mapCanvases = [];
      activatedCanvases = [];
      return;
    }
    const summary = summarizeModel(app.model.spec)[layer];
    title.textContent = `Layer ${layer}: ${summary.description} → ${summary.outputShape.join('×')}`;
    // The filters need no input: a blank image gives them (and the map sizes) without a drawing.
    const conv = predictor.firstConvolution(new Float32Array(predictor.inputShape.reduce((a, b) => a * b, 1)))!;
    const [out, inChannels, kh, kw] = conv.weightShape;
    const limit = maxAbs(conv.weights);
    const filterCanvases = Array.from({ length: out }, (_, o) => {
      const canvas = h('canvas', { class: 'filter', 'data-channel': o });
      // With several input channels, each filter is shown as the sum over them.
      const kernel = new Float32Array(kh * kw);
      for (let c = 0; c < inChannels; c++) for (let k = 0; k < kh * kw; k++) kernel[k] += conv.weights[(o * inChannels + c) * kh * kw + k];
      paintScaled(canvas, kernel, 0, kh, kw, inChannels > 1 ? maxAbs(kernel) : limit, true);
      return figure(canvas, String(o));
    });
    replaceChildren(filters, ...filterCanvases);
    legendNote.textContent = `${kh}×${kw} weights, scaled to ±${limit.toPrecision(2)}${inChannels > 1 ? ` (summed over ${inChannels} input channels)` : ''}`;
    mapCanvases = Array.from({ length: out }, () => h('canvas', { class: 'map' }));
    activatedCanvases = conv.activation ? Array.from({ length: out }, () => h('canvas', { class: 'map' })) : [];
    replaceChildren(maps, ...mapCanvases.map((c, o) => figure(c, String(o))));
    replaceChildren(activated, ...activatedCanvases.map((c, o) => figure(c, String(o))));
    mapsTitle.textContent = `After the convolution (${conv.mapShape.join('×')}, blue negative, orange positive)`;
    const scale = conv.activation === 'relu' ? 'black 0, white the largest' : 'same colours';
    activatedTitle.textContent = conv.activation ? `After ${activationName(conv.activation)} (${scale})` : '';
    activatedTitle.hidden = !conv.activation;
    paintMaps();
  }

  /** Recomputes the feature maps of the current input (one small forward pass) and paints them. */
  function paintMaps(): void {
    timer = null;
    if (!predictor || element.hidden) return;
    const image = input ?? new Float32Array(predictor.inputShape.reduce((a, b) => a * b, 1));
    const conv = predictor.firstConvolution(image) as FirstConvolution;
    const [channels, rows, cols] = conv.mapShape;
    const size = rows * cols;
    const limit = maxAbs(conv.maps);
    for (let o = 0; o < channels; o++) paintScaled(mapCanvases[o], conv.maps, o * size, rows, cols, limit, true);
    if (conv.activated) {
      const top = maxAbs(conv.activated);
      for (let o = 0; o < channels; o++) paintScaled(activatedCanvases[o], conv.activated, o * size, rows, cols, top, conv.activation !== 'relu');
    }
    updates++;
    maps.setAttribute('data-updates', String(updates));
    // A fingerprint of the maps, so a test (or a curious user) can see them change.
    let sum = 0;
    for (let i = 0; i < conv.maps.length; i++) sum += Math.abs(conv.maps[i]) * ((i % 7) + 1);
    maps.setAttribute('data-signature', sum.toFixed(3));
    mapsNote.textContent = input ? `Each map is one filter slid over your drawing; scaled to ±${limit.toPrecision(2)}.` : 'Draw a digit to see what each filter responds to (shown now: a blank image, so only the biases).';
  }

  function schedule(): void {
    if (timer === null && predictor && !element.hidden) timer = setTimeout(paintMaps, FEATURE_MAP_INTERVAL_MS);
  }

  app.onModelChange(() => {
    rebuild();
  });
  rebuild();

  return {
    element,
    get available() {
      return predictor !== null;
    },
    setInput(next: Float32Array | null): void {
      input = next;
      schedule();
    },
    show(visible: boolean): void {
      element.hidden = !visible;
      if (visible) paintMaps();
    },
  };
}

function activationName(type: string): string {
  return { relu: 'ReLU', leaky_relu: 'LeakyReLU', sigmoid: 'Sigmoid', tanh: 'Tanh', selu: 'SELU' }[type] ?? type;
}

import { modelInputShape } from '@scratchnet/core';
import type { AppState } from '../app-state.js';
import { IMAGE_SHAPE } from '../data/dataset-catalog.js';
import { createConvView } from '../filters/conv-view.js';
import { acceptsImages, describeArchitecture } from '../model/model-snapshot.js';
import { QUICK_PRESET } from '../train/presets.js';
import type { TrainController } from '../train/train-controller.js';
import { h, replaceChildren } from '../ui/dom.js';
import { percent } from '../ui/format.js';
import { exampleImage, imageCanvas, paintGrey } from '../ui/image-canvas.js';
import { digitInputFromCanvas } from './digit-input.js';
import { DrawingCanvas } from './drawing-canvas.js';
import { ProbabilityBars } from './probability-bars.js';

const CANVAS_PIXELS = 280;
/** The drawing as the network sees it: `preprocessDigit` makes the data sets' 1×28×28 images. */
const [, ROWS, COLS] = IMAGE_SHAPE;

/**
 * The Draw screen: a canvas, the 28×28 image the network sees, and live class probabilities.
 * Predictions run on the page thread once per animation frame while drawing (a forward pass
 * is far below a millisecond), so they keep up even while the worker trains.
 */
export function createDrawView(app: AppState, trainer: TrainController): HTMLElement {
  const canvas = h('canvas', { class: 'draw-canvas', width: CANVAS_PIXELS, height: CANVAS_PIXELS, 'data-testid': 'draw-canvas', 'aria-label': 'Drawing area' });
  const drawing = new DrawingCanvas(canvas);
  const preview = h('canvas', { class: 'preview', width: COLS, height: ROWS, 'data-testid': 'preview', 'data-ink-sum': 0 });
  const blank = new Float32Array(ROWS * COLS);
  paintGrey(preview, blank, COLS, ROWS, 1);
  const bars = new ProbabilityBars();
  const guess = h('div', { class: 'guess-digit', 'data-testid': 'top-guess' }, '?');
  const guessNote = h('div', { class: 'guess-note', 'data-testid': 'guess-note' }, 'Draw a digit');
  const modelStatus = h('div', { class: 'model-status', 'data-testid': 'model-status' });
  const timing = h('div', { class: 'timing', 'data-testid': 'predict-timing' });
  const examplesTitle = h('h2', {}, 'Training images of the guess');
  const examples = h('div', { class: 'examples', 'data-testid': 'guess-examples' });
  const examplesCard = h('div', { class: 'card examples-card', hidden: true }, examplesTitle, examples);
  let examplesClass = -1;
  /** Up to 16 training images of the guessed class: what the network learned "a 7" looks like. */
  function showExamples(best: number | null): void {
    const data = app.dataset?.train;
    if (best === null || !data || best === examplesClass) {
      if (best === null || !data) {
        examplesCard.hidden = true;
        examplesClass = -1;
      }
      return;
    }
    examplesClass = best;
    const picked: HTMLCanvasElement[] = [];
    for (let i = 0; i < data.count && picked.length < 16; i++) {
      if (data.labels[i] === best) picked.push(imageCanvas(exampleImage(data, i), data.rows, data.cols, 255));
    }
    examplesTitle.textContent = `Training images labelled ${app.dataset?.classNames[best] ?? best}`;
    replaceChildren(examples, ...picked);
    examplesCard.hidden = picked.length === 0;
  }
  const canvasHint = h('div', { class: 'canvas-hint' }, 'Draw a digit here', h('small', {}, 'mouse, touch or pen'));

  const brush = h('input', { type: 'range', min: 8, max: 44, value: drawing.brushSize, 'data-testid': 'brush-size', 'aria-label': 'Brush size' });
  brush.addEventListener('input', () => {
    drawing.brushSize = Number(brush.value);
  });
  const undo = h('button', { class: 'ghost', 'data-testid': 'undo', title: 'Undo the last stroke (Ctrl+Z)' }, 'Undo');
  const clear = h('button', { class: 'ghost', 'data-testid': 'clear', title: 'Clear the canvas (Esc)' }, 'Clear');
  undo.addEventListener('click', () => drawing.undo());
  clear.addEventListener('click', () => drawing.clear());
  document.addEventListener('keydown', (event) => {
    if (!canvas.isConnected || canvas.offsetParent === null) return;
    if ((event.ctrlKey || event.metaKey) && event.key === 'z') {
      event.preventDefault();
      drawing.undo();
    } else if (event.key === 'Escape') drawing.clear();
  });

  const conv = createConvView(app);
  const showFilters = h(
    'button',
    { class: 'ghost', 'data-testid': 'show-filters', 'aria-expanded': 'false', hidden: true, title: "The first convolution's filters and what they make of your drawing" },
    'Filters',
  );
  function setFiltersOpen(open: boolean): void {
    showFilters.setAttribute('aria-expanded', String(open));
    showFilters.textContent = open ? 'Hide filters' : 'Filters';
    conv.show(open);
  }
  showFilters.addEventListener('click', () => setFiltersOpen(showFilters.getAttribute('aria-expanded') !== 'true'));
  /** The button is there only for a model with a convolution. */
  function syncFiltersButton(): void {
    showFilters.hidden = !conv.available;
    if (!conv.available) setFiltersOpen(false);
  }

  let frame = 0;
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(update);
  };
  drawing.onChange(schedule);
  app.onModelChange(() => {
    renderModelStatus();
    syncFiltersButton();
    schedule();
  });
  trainer.onChange(renderModelStatus);

  function update(): void {
    frame = 0;
    const started = performance.now();
    canvasHint.hidden = !drawing.isEmpty;
    const input = drawing.isEmpty ? null : digitInputFromCanvas(drawing.pixels());
    paintGrey(preview, input ?? blank, COLS, ROWS, 1);
    preview.setAttribute('data-ink-sum', input ? input.reduce((a, b) => a + b, 0).toFixed(3) : '0');
    conv.setInput(input);
    const model = app.model;
    // A loaded checkpoint may take other images than these 1×28×28 drawings.
    const predictor = model && acceptsImages(model.spec, IMAGE_SHAPE) ? app.predictor : null;
    const classNames = model?.classNames ?? [];
    if (!input || !predictor) {
      bars.update(null, classNames.length ? classNames : DIGITS);
      guess.textContent = '?';
      guessNote.textContent = !input ? 'Draw a digit' : model ? `This model takes ${modelInputShape(model.spec).join('×')} inputs, not ${IMAGE_SHAPE.join('×')} drawings` : 'No model yet';
      timing.textContent = '';
      showExamples(null);
      return;
    }
    const probabilities = predictor.predict(input);
    let best = 0;
    for (let c = 1; c < probabilities.length; c++) if (probabilities[c] > probabilities[best]) best = c;
    bars.update(probabilities, classNames);
    guess.textContent = classNames[best] ?? String(best);
    guessNote.textContent = `${percent(probabilities[best])} sure`;
    timing.textContent = `preprocess + predict: ${(performance.now() - started).toFixed(1)} ms`;
    showExamples(best);
  }

  function renderModelStatus(): void {
    const model = app.model;
    if (model) {
      const accuracy = model.training?.finalMetrics.val_accuracy;
      replaceChildren(
        modelStatus,
        h('span', { class: 'pill ok' }, 'Model ready'),
        h('span', {}, `${describeArchitecture(model.spec)} · ${app.modelOrigin}${accuracy != null ? ` · validation accuracy ${percent(accuracy)}` : ''}`),
      );
      return;
    }
    if (trainer.busy) {
      const p = trainer.progress;
      replaceChildren(modelStatus, h('span', { class: 'pill busy' }, 'Training'), h('span', {}, p ? `epoch ${Math.floor(p.epoch) + 1} of ${p.epochs}…` : 'loading digits…'));
      return;
    }
    const quick = h('button', { class: 'primary', 'data-testid': 'quick-train' }, 'Train a quick model (a few seconds)');
    quick.addEventListener('click', () => void trainer.start(QUICK_PRESET.config, 'offline-digits'));
    replaceChildren(
      modelStatus,
      h('span', { class: 'pill warn' }, 'No model yet'),
      h('span', {}, 'Train one on the built-in digits, or load a checkpoint on the Train screen.'),
      quick,
    );
  }
  renderModelStatus();
  syncFiltersButton();

  return h(
    'section',
    { class: 'view draw-view', 'data-view': 'draw' },
    modelStatus,
    h(
      'div',
      { class: 'draw-layout' },
      h(
        'div',
        { class: 'card canvas-card' },
        h('h2', {}, 'Draw a digit'),
        h('div', { class: 'canvas-frame' }, canvas, canvasHint),
        h('div', { class: 'toolbar' }, h('label', { class: 'brush' }, 'Brush', brush), undo, clear, showFilters),
      ),
      h(
        'div',
        { class: 'card preview-card' },
        h('h2', {}, 'What the network sees'),
        preview,
        h('p', { class: 'hint' }, '28×28, ink cropped, scaled to 20 px and centred by mass — just like MNIST.'),
        timing,
      ),
      h('div', { class: 'card guess-card' }, h('h2', {}, 'Prediction'), h('div', { class: 'guess' }, guess, guessNote), bars.element),
    ),
    conv.element,
    examplesCard,
  );
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

import './teach.css';
import type { AppState } from '../app-state.js';
import { digitInputFromCanvas } from '../draw/digit-input.js';
import { DrawingCanvas } from '../draw/drawing-canvas.js';
import type { TrainController } from '../train/train-controller.js';
import { h } from '../ui/dom.js';
import { paintGrey } from '../ui/image-canvas.js';
import { typingInField } from '../ui/shortcuts.js';
import { DrawingGrid } from './drawing-grid.js';
import { createFineTunePanel } from './fine-tune-panel.js';
import { FineTuner } from './fine-tuner.js';
import { createStoragePanel } from './storage-panel.js';
import { digitBytes, HandwritingSet } from './handwriting-set.js';

const CANVAS_PIXELS = 280;

/**
 * "Teach it your handwriting": draw a digit, press 0–9 (or click a digit button) to label it;
 * every labelled drawing is stored at once (IDX files in the app's data folder, or the browser's
 * storage on the web), shown in a grid where bad ones can be deleted, and every 5th is held out
 * as the user's own test set. Fine-tuning trains the current model on the rest, mixed with the
 * offline digits, and reports accuracy on the held-out drawings before and after.
 */
export function createTeachView(app: AppState, trainer: TrainController): HTMLElement {
  const set = new HandwritingSet();
  const tuner = new FineTuner(app);

  const canvas = h('canvas', { class: 'draw-canvas', width: CANVAS_PIXELS, height: CANVAS_PIXELS, 'data-testid': 'teach-canvas', 'aria-label': 'Drawing area for a digit to label' });
  const drawing = new DrawingCanvas(canvas);
  const preview = h('canvas', { class: 'preview teach-preview', width: 28, height: 28, 'data-testid': 'teach-preview' });
  const blank = new Float32Array(784);
  paintGrey(preview, blank, 28, 28, 1);
  const note = h('div', { class: 'teach-note', 'data-testid': 'teach-note' }, 'Draw a digit, then press its key (0–9).');
  drawing.onChange(() => {
    const input = drawing.isEmpty ? null : digitInputFromCanvas(drawing.pixels());
    paintGrey(preview, input ?? blank, 28, 28, 1);
  });

  const storage = createStoragePanel(app, set, (message) => {
    note.textContent = message;
  });

  /** Labels the drawing on the canvas: the same 28×28 image the Draw screen would feed the network. */
  function label(digit: number): void {
    const input = drawing.isEmpty ? null : digitInputFromCanvas(drawing.pixels());
    if (!input) {
      note.textContent = 'Draw a digit first, then press its key.';
      return;
    }
    const added = set.add(digitBytes(input), digit);
    drawing.clear();
    note.textContent = added.heldOut ? `Labelled ${digit}; kept back to test the model (every 5th drawing is).` : `Labelled ${digit}.`;
    storage.save();
  }

  const labelButtons = Array.from({ length: 10 }, (_, digit) =>
    h('button', { class: 'label-button', 'data-testid': `label-${digit}`, title: `Label this drawing as ${digit} (key ${digit})`, onclick: () => label(digit) }, String(digit)),
  );
  const clear = h('button', { class: 'ghost', 'data-testid': 'teach-clear', title: 'Clear the canvas (Esc)', onclick: () => drawing.clear() }, 'Clear');
  const undo = h('button', { class: 'ghost', title: 'Undo the last stroke (Ctrl+Z)', onclick: () => drawing.undo() }, 'Undo');

  const visible = () => canvas.isConnected && canvas.offsetParent !== null;
  document.addEventListener('keydown', (event) => {
    // Typing in a form field, or keys while the shortcuts list is open, are not labelling.
    if (!visible() || typingInField(event) || document.querySelector('dialog[open]')) return;
    if ((event.ctrlKey || event.metaKey) && event.key === 'z') {
      event.preventDefault();
      drawing.undo();
    } else if (event.altKey || event.ctrlKey || event.metaKey) {
      return; // a shortcut of the browser's, not a label
    } else if (/^[0-9]$/.test(event.key)) {
      event.preventDefault();
      label(Number(event.key));
    } else if (event.key === 'Escape') drawing.clear();
  });

  const grid = new DrawingGrid(set, (id) => {
    set.remove(id);
    storage.save();
  });
  const fineTune = createFineTunePanel(app, trainer, tuner, set);

  return h(
    'section',
    { class: 'view teach-view', 'data-view': 'teach' },
    h(
      'div',
      { class: 'teach-layout' },
      h(
        'div',
        { class: 'card canvas-card' },
        h('h2', {}, 'Draw, then label'),
        h('div', { class: 'canvas-frame' }, canvas),
        h('div', { class: 'label-row', role: 'group', 'aria-label': 'Label the drawing' }, ...labelButtons),
        h('div', { class: 'toolbar' }, undo, clear),
        note,
      ),
      h(
        'div',
        { class: 'card preview-card' },
        h('h2', {}, 'What gets stored'),
        preview,
        h('p', { class: 'hint' }, 'Stored as the network sees it: 28×28, cropped, scaled to 20 px and centred by mass, like MNIST and the Draw screen.'),
        storage.element,
      ),
      fineTune,
    ),
    grid.element,
  );
}

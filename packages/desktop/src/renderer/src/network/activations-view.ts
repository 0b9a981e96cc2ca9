import type { AppState } from '../app-state.js';
import { digitInputFromCanvas } from '../draw/digit-input.js';
import { DrawingCanvas } from '../draw/drawing-canvas.js';
import { h, replaceChildren } from '../ui/dom.js';
import { typingInField } from '../ui/shortcuts.js';
import { activationsPicture } from './activations-picture.js';
import { explain } from './explain.js';
import { LayerProbe } from './layer-probe.js';
import type { NetworkPanel, NetworkState } from './network-state.js';
import { traceBack, unitValues } from './trace.js';

/** While a stroke goes on, the activations are recomputed at most this often (and once after it). */
export const ACTIVATIONS_INTERVAL_MS = 50;
const PAD_PIXELS = 280;

/**
 * The activations of every layer for a digit drawn here, recomputed as you draw: one column per
 * layer, one circle per unit (a channel's mean for feature maps), the strongest units ringed, and
 * the prediction traced back through the dense layers along the largest weight × activation contributions.
 */
export function createActivationsView(app: AppState, state: NetworkState): NetworkPanel {
  const canvas = h('canvas', { class: 'network-pad', width: PAD_PIXELS, height: PAD_PIXELS, 'data-testid': 'network-draw-canvas', 'aria-label': 'Drawing area for the activations' });
  const drawing = new DrawingCanvas(canvas);
  const undo = h('button', { class: 'ghost', type: 'button', 'data-testid': 'network-undo', title: 'Undo the last stroke (Ctrl+Z)' }, 'Undo');
  const clear = h('button', { class: 'ghost', type: 'button', 'data-testid': 'network-clear', title: 'Clear (Esc)' }, 'Clear');
  undo.addEventListener('click', () => drawing.undo());
  clear.addEventListener('click', () => drawing.clear());
  const picture = h('div', { class: 'activations-scroll', tabindex: 0, role: 'group', 'aria-label': 'Activations of every layer' });
  const summary = h('p', { class: 'hint', 'data-testid': 'activations-summary' });
  const element = h(
    'section',
    { class: 'card network-card', 'data-testid': 'activations-view', 'data-updates': 0, 'data-signature': '' },
    h('h2', {}, 'Activations'),
    explain(
      'What is this?',
      'Draw a digit on the left. Each column is one layer, each circle one unit: orange for a positive output, blue for a negative one, brighter for larger. The ringed circles are the strongest units of each layer. The lines follow the prediction back: from the winning output, to the units that pushed it up the most (weight × activation), and so on towards the input.',
    ),
    h(
      'div',
      { class: 'activations-layout' },
      h('div', { class: 'pad-column' }, canvas, h('div', { class: 'toolbar' }, undo, clear)),
      h('div', { class: 'activations-main' }, picture, summary),
    ),
  );

  let probe: LayerProbe | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let updates = 0;
  let stale = true;

  function isHidden(): boolean {
    return element.closest('[hidden]') !== null || !element.isConnected;
  }

  function currentProbe(): LayerProbe | null {
    const model = app.model;
    if (!model) return null;
    if (probe?.snapshot !== model) {
      probe?.dispose();
      probe = new LayerProbe(model);
    }
    return probe;
  }

  function schedule(): void {
    stale = true;
    if (timer === null && !isHidden()) timer = setTimeout(render, ACTIVATIONS_INTERVAL_MS);
  }

  function render(): void {
    timer = null;
    if (isHidden()) return;
    stale = false;
    const input = drawing.isEmpty ? null : digitInputFromCanvas(drawing.pixels());
    state.setInput(input);
    const model = app.model;
    const active = currentProbe();
    if (!model || !active) {
      replaceChildren(picture, h('p', { class: 'hint' }, 'No model yet: train one on the Train screen (or with “Train a quick model” on Draw).'));
      summary.textContent = '';
      return;
    }
    if (!input || input.length !== active.inputSize) {
      replaceChildren(picture, h('p', { class: 'hint' }, input ? `This model takes ${active.inputSize} inputs, not a 28×28 drawing.` : 'Draw a digit on the pad to see every layer respond.'));
      summary.textContent = '';
      element.setAttribute('data-signature', '');
      return;
    }
    const outputs = active.run(input);
    const last = unitValues(outputs[outputs.length - 1]);
    let best = 0;
    for (let c = 1; c < last.length; c++) if (last[c] > last[best]) best = c;
    const trace = traceBack(outputs, input, (i) => active.denseWeight(i), best);
    const classNames = model.classNames;
    const { svg, description } = activationsPicture(outputs, input, state.imageShape(input.length), trace, classNames);
    replaceChildren(picture, svg);
    summary.textContent = description;
    let signature = 0;
    for (const output of outputs) for (let i = 0; i < output.values.length; i++) signature += Math.abs(output.values[i]) * ((i % 7) + 1);
    element.setAttribute('data-signature', signature.toFixed(4));
    element.setAttribute('data-prediction', classNames[best] ?? String(best));
    element.setAttribute('data-updates', String(++updates));
  }

  drawing.onChange(schedule);
  app.onModelChange(schedule);
  document.addEventListener('keydown', (event) => {
    if (isHidden() || typingInField(event) || document.querySelector('dialog[open]')) return;
    if ((event.ctrlKey || event.metaKey) && event.key === 'z') {
      event.preventDefault();
      drawing.undo();
    } else if (event.key === 'Escape') drawing.clear();
  });

  return {
    element,
    refresh() {
      if (stale || probe?.snapshot !== app.model) schedule();
    },
  };
}

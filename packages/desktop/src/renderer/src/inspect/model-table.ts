import { summarizeModel } from '@scratchnet/core';
import type { AppState } from '../app-state.js';
import { h, replaceChildren } from '../ui/dom.js';
import { count } from '../ui/format.js';

/**
 * The current model layer by layer, as torchsummary prints it: the PyTorch description, the
 * output shape and the parameter count of each layer — all from core's layer registry.
 */
export function createModelTable(app: AppState): HTMLElement {
  const body = h('div', { class: 'model-table-wrap', 'data-testid': 'model-summary' });
  function render(): void {
    const model = app.model;
    if (!model) {
      replaceChildren(body, h('p', { class: 'hint' }, 'No model yet.'));
      return;
    }
    const layers = summarizeModel(model.spec);
    const total = layers.reduce((sum, l) => sum + l.parameterCount, 0);
    const input = model.spec.inputShape ?? [model.spec.inputSize];
    const rows = layers.map((l) =>
      h('tr', {}, h('td', {}, String(l.index)), h('td', { class: 'mono' }, l.description), h('td', { class: 'mono' }, `[${l.outputShape.join(', ')}]`), h('td', { class: 'num' }, l.parameterCount ? count(l.parameterCount) : '–')),
    );
    replaceChildren(
      body,
      h(
        'table',
        { class: 'model-table' },
        h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'Layer'), h('th', {}, 'Output shape'), h('th', { class: 'num' }, 'Parameters'))),
        h('tbody', {}, h('tr', {}, h('td', {}, ''), h('td', { class: 'mono' }, 'Input'), h('td', { class: 'mono' }, `[${input.join(', ')}]`), h('td', {}, '')), ...rows),
        h('tfoot', {}, h('tr', {}, h('td', {}, ''), h('td', {}, 'Total'), h('td', {}, ''), h('td', { class: 'num', 'data-testid': 'model-parameters' }, count(total)))),
      ),
    );
  }
  app.onModelChange(render);
  render();
  return h('div', { class: 'card' }, h('h2', {}, 'Model'), body);
}

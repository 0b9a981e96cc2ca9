import { formatShape, type ModelSpec, summarizeModel } from '@scratchnet/core';
import { h, replaceChildren } from '../ui/dom.js';
import { count } from '../ui/format.js';

/**
 * The model the Layers field describes, as core's parser and layer registry read it: one row per
 * layer (as PyTorch prints it), its output shape and parameters, and the total. Shown live under
 * the field, so what `--arch` would build is visible before a run starts.
 */
export function architectureSummary(): { element: HTMLElement; show(spec: ModelSpec | null): void } {
  const body = h('tbody');
  const total = h('td', { class: 'num', 'data-testid': 'arch-summary-total' });
  const table = h(
    'table',
    { class: 'arch-summary', 'data-testid': 'arch-summary' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Layer'), h('th', {}, 'Output'), h('th', { class: 'num' }, 'Parameters'))),
    body,
    h('tfoot', {}, h('tr', {}, h('td', { colspan: 2 }, 'Total'), total)),
  );
  return {
    element: table,
    show(spec) {
      table.hidden = spec === null;
      if (!spec) return;
      const layers = summarizeModel(spec);
      replaceChildren(
        body,
        ...layers.map((layer) =>
          h('tr', { 'data-testid': 'arch-summary-row' }, h('td', {}, layer.description), h('td', {}, formatShape(layer.outputShape)), h('td', { class: 'num' }, count(layer.parameterCount))),
        ),
      );
      const parameters = layers.reduce((sum, layer) => sum + layer.parameterCount, 0);
      total.textContent = count(parameters);
      total.setAttribute('data-value', String(parameters));
    },
  };
}

import { type LayerSummary, modelInputShape, summarizeModel } from '@scratchnet/core';
import type { AppState } from '../app-state.js';
import { h, replaceChildren } from '../ui/dom.js';
import { count } from '../ui/format.js';
import { explain } from './explain.js';
import { createLayerInspector } from './layer-inspector.js';
import type { NetworkPanel, NetworkState } from './network-state.js';

const KIND: Record<string, string> = {
  dense: 'weights',
  conv2d: 'weights',
  batch_norm1d: 'normalise',
  batch_norm2d: 'normalise',
  max_pool2d: 'shape',
  avg_pool2d: 'shape',
  flatten: 'shape',
  dropout: 'shape',
};

/**
 * The architecture as a diagram: the input, then one box per layer with what core's layer
 * registry says of it (summarizeModel: the PyTorch description, output shape, parameter count).
 * A box is a button: it opens the layer's weights and activations below.
 */
export function createArchitectureView(app: AppState, state: NetworkState): NetworkPanel {
  const diagram = h('ol', { class: 'diagram', 'data-testid': 'diagram', 'aria-label': 'Layers of the model, input first' });
  const total = h('p', { class: 'hint', 'data-testid': 'diagram-total' });
  const inspector = createLayerInspector(app, state);
  const element = h(
    'section',
    { class: 'card network-card', 'data-testid': 'architecture-view' },
    h('h2', {}, 'Architecture'),
    explain(
      'What is this?',
      'The network, input first. Each box is one layer as PyTorch would print it, with the shape of what comes out of it (per example) and how many numbers it learns. Layers with weights are marked; activations such as ReLU learn nothing, they bend the signal. Click a layer to see its weights and what it does with your drawing.',
    ),
    diagram,
    total,
    inspector.element,
  );
  let rendered: unknown = null;

  function box(layer: LayerSummary, selected: boolean): HTMLElement {
    const button = h(
      'button',
      {
        type: 'button',
        class: `layer-box kind-${KIND[layer.spec.type] ?? 'activation'}`,
        'data-testid': `diagram-layer-${layer.index}`,
        'data-type': layer.spec.type,
        'data-output-shape': layer.outputShape.join('x'),
        'data-parameters': layer.parameterCount,
        'aria-pressed': String(selected),
        title: `Inspect layer ${layer.index}`,
      },
      h('span', { class: 'layer-index' }, String(layer.index)),
      h('span', { class: 'layer-description' }, layer.description),
      h('span', { class: 'layer-shape' }, `→ [${layer.outputShape.join(', ')}]`),
      h('span', { class: 'layer-params' }, layer.parameterCount ? `${count(layer.parameterCount)} parameters` : 'no parameters'),
    );
    button.addEventListener('click', () => state.selectLayer(state.selectedLayer === layer.index ? -1 : layer.index));
    return h('li', {}, button);
  }

  function render(): void {
    const model = app.model;
    rendered = model;
    if (!model) {
      replaceChildren(diagram, h('li', { class: 'hint' }, 'No model yet.'));
      total.textContent = '';
      diagram.setAttribute('data-layers', '0');
      return;
    }
    const layers = summarizeModel(model.spec);
    const input = modelInputShape(model.spec);
    replaceChildren(
      diagram,
      h('li', {}, h('div', { class: 'layer-box input', 'data-testid': 'diagram-input', 'data-shape': input.join('x') }, h('span', { class: 'layer-description' }, 'Input'), h('span', { class: 'layer-shape' }, `[${input.join(', ')}]`))),
      ...layers.map((layer) => box(layer, layer.index === state.selectedLayer)),
    );
    diagram.setAttribute('data-layers', String(layers.length));
    const parameters = layers.reduce((sum, l) => sum + l.parameterCount, 0);
    total.textContent = `${layers.length} layers, ${count(parameters)} parameters in all.`;
    total.setAttribute('data-parameters', String(parameters));
  }

  app.onModelChange(render);
  state.on('layer', () => {
    for (const button of diagram.querySelectorAll('button.layer-box')) {
      button.setAttribute('aria-pressed', String(button.getAttribute('data-testid') === `diagram-layer-${state.selectedLayer}`));
    }
    inspector.refresh();
  });
  render();
  return {
    element,
    refresh() {
      if (rendered !== app.model) render();
      inspector.refresh();
    },
  };
}

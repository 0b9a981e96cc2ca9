import { summarizeModel } from '@scratchnet/core';
import type { AppState } from '../app-state.js';
import { maxAbs, paintScaled } from '../ui/colour-scale.js';
import { h, replaceChildren } from '../ui/dom.js';
import { count } from '../ui/format.js';
import { drawHistogram } from './histogram-canvas.js';
import { LayerProbe } from './layer-probe.js';
import type { NetworkState } from './network-state.js';
import { unitImages } from './unit-images.js';

/** At most this many unit images per layer in the inspector (the Weights view shows them all). */
const MAX_IMAGES = 64;

/**
 * One layer up close, for the diagram: its parameter tensors, its weights (one image per unit for
 * a layer over the input image or a convolution, otherwise the matrix as a heat map), their
 * histogram, and its output for the digit on the Activations pad.
 */
export function createLayerInspector(app: AppState, state: NetworkState): { element: HTMLElement; refresh(): void } {
  const body = h('div', { class: 'layer-inspector-body' });
  const element = h('div', { class: 'layer-inspector', 'data-testid': 'layer-inspector', 'aria-live': 'polite' }, body);
  let probe: LayerProbe | null = null;

  function refresh(): void {
    const model = app.model;
    const index = state.selectedLayer;
    if (!model || index < 0) {
      replaceChildren(body, h('p', { class: 'hint' }, 'Click a layer to inspect it.'));
      element.removeAttribute('data-layer');
      return;
    }
    const layer = summarizeModel(model.spec)[index];
    element.setAttribute('data-layer', String(index));
    const parts: Array<HTMLElement | null> = [
      h('h3', {}, `Layer ${index}: ${layer.description}`),
      h('p', { class: 'hint' }, `In [${layer.inputShape.join(', ')}] → out [${layer.outputShape.join(', ')}] · ${count(layer.parameterCount)} parameters`),
    ];
    if (layer.parameters.length) {
      parts.push(
        h(
          'ul',
          { class: 'tensor-list' },
          ...layer.parameters.map((p) => h('li', {}, h('code', {}, p.name), ` [${p.shape.join(', ')}] = ${count(p.shape.reduce((a, b) => a * b, 1))}`)),
        ),
      );
    }
    const weight = model.tensors.find((t) => t.name === `${index}.weight` && (layer.spec.type === 'dense' || layer.spec.type === 'conv2d'));
    if (weight) {
      const inputs = weight.shape.slice(1).reduce((a, b) => a * b, 1);
      const image = state.imageShape(inputs);
      // Images for a convolution, or for a layer over the input image; a matrix otherwise.
      const asImages = weight.shape.length === 4 || (image.length >= 2 && image[image.length - 2] > 1);
      const figure = h('div', { class: 'unit-grid small', 'data-testid': 'inspector-weights', tabindex: 0, role: 'group', 'aria-label': `Weights of layer ${index}` });
      if (asImages) {
        const images = unitImages(weight.shape, weight.data, image);
        const size = images.rows * images.cols;
        for (let u = 0; u < Math.min(images.units, MAX_IMAGES); u++) {
          const canvas = h('canvas', { class: 'unit', 'aria-hidden': 'true' });
          paintScaled(canvas, images.pixels, u * size, images.rows, images.cols, images.limit, true);
          figure.append(h('figure', {}, canvas, h('figcaption', {}, String(u))));
        }
        if (images.units > MAX_IMAGES) figure.append(h('p', { class: 'hint' }, `…and ${images.units - MAX_IMAGES} more on the Weights tab.`));
      } else {
        // The matrix itself: one row per output unit, one column per input.
        const canvas = h('canvas', { class: 'matrix', 'aria-hidden': 'true' });
        paintScaled(canvas, weight.data, 0, weight.shape[0], inputs, maxAbs(weight.data), true);
        figure.append(canvas);
      }
      parts.push(h('h4', {}, asImages ? 'Weights, one image per unit' : `Weights: ${weight.shape[0]} rows (units) × ${inputs} columns (inputs)`), figure);
      const histogram = h('canvas', { class: 'histogram', width: 320, height: 90, 'aria-hidden': 'true' });
      drawHistogram(histogram, weight.data);
      parts.push(h('h4', {}, 'How the weights are spread'), histogram);
    }
    parts.push(h('h4', {}, 'Output for your drawing'));
    const input = state.input;
    if (!input) {
      parts.push(h('p', { class: 'hint' }, 'Draw a digit on the Activations tab to see what this layer makes of it.'));
    } else {
      if (probe?.snapshot !== model) {
        probe?.dispose();
        probe = new LayerProbe(model);
      }
      const output = probe.run(input)[index];
      const [rows, cols] = output.shape.length >= 2 ? [output.values.length / output.shape[output.shape.length - 1], output.shape[output.shape.length - 1]] : [1, output.values.length];
      const canvas = h('canvas', { class: 'matrix output', 'data-testid': 'inspector-output', 'aria-hidden': 'true' });
      paintScaled(canvas, output.values, 0, rows, cols, maxAbs(output.values), true);
      parts.push(canvas, h('p', { class: 'hint' }, `${output.values.length} values, from ${Math.min(...output.values).toPrecision(3)} to ${Math.max(...output.values).toPrecision(3)}.`));
    }
    replaceChildren(body, ...parts);
  }

  state.on('input', () => {
    if (state.selectedLayer >= 0 && element.closest('[hidden]') === null) refresh();
  });
  refresh();
  return { element, refresh };
}

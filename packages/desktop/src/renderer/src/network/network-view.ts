import type { AppState } from '../app-state.js';
import { h } from '../ui/dom.js';
import { createTabs } from '../ui/tabs.js';
import { createActivationsView } from './activations-view.js';
import { createArchitectureView } from './architecture-view.js';
import { createHistogramsView } from './histograms-view.js';
import { NetworkState } from './network-state.js';
import { createWeightsView } from './weights-view.js';

/**
 * The Network screen: what the network learned, in four views under their own tabs — the
 * architecture (click a layer to inspect it), the first layer's weights, the activations of a
 * digit you draw, and histograms of weights and gradients over training.
 */
export function createNetworkView(app: AppState): { element: HTMLElement; refresh(): void } {
  const state = new NetworkState(app);
  const panels = {
    architecture: createArchitectureView(app, state),
    weights: createWeightsView(state),
    activations: createActivationsView(app, state),
    histograms: createHistogramsView(state),
  };
  const tabs = createTabs(
    [
      { id: 'architecture', label: 'Architecture', panel: panels.architecture.element },
      { id: 'weights', label: 'Weights', panel: panels.weights.element },
      { id: 'activations', label: 'Activations', panel: panels.activations.element },
      { id: 'histograms', label: 'Histograms', panel: panels.histograms.element },
    ],
    { label: 'Views of the network', prefix: 'network-', className: 'tabs subtabs' },
  );
  const element = h('section', { class: 'view network-view', 'data-view': 'network' }, tabs.list, ...Object.values(panels).map((p) => p.element));
  const refresh = () => panels[tabs.selected as keyof typeof panels].refresh();
  tabs.onSelect(refresh);
  return { element, refresh };
}

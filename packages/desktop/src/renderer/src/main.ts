import './styles.css';
import { AppState } from './app-state.js';
import { connectHost } from './bridge/host-bridge.js';
import { createDrawView } from './draw/draw-view.js';
import { createInspectView } from './inspect/inspect-view.js';
import { createNetworkView } from './network/network-view.js';
import { createTeachView } from './teach/teach-view.js';
import { createTrainView } from './train/train-view.js';
import { TrainController } from './train/train-controller.js';
import { TrainingClient } from './training/training-client.js';
import { useFastestBackend } from '@scratchnet/core';
import { h } from './ui/dom.js';
import { createShortcutsDialog, typingInField } from './ui/shortcuts.js';
import { createTabs } from './ui/tabs.js';
import { createThemeSwitch } from './ui/theme.js';

/** Builds the app: the screens sharing one state, switched by tabs (WAI-ARIA tabs: arrow keys move between them). */
function start(): void {
  const { kind, bridge } = connectHost();
  const app = new AppState(kind, bridge, new TrainingClient());
  const trainer = new TrainController(app);
  const network = createNetworkView(app);
  // One line per screen: its id, its label, its element.
  const screens = [
    { id: 'draw', label: 'Draw', panel: createDrawView(app, trainer) },
    { id: 'train', label: 'Train', panel: createTrainView(app, trainer) },
    { id: 'inspect', label: 'Inspect', panel: createInspectView(app) },
    { id: 'network', label: 'Network', panel: network.element },
    { id: 'teach', label: 'Teach', panel: createTeachView(app, trainer) },
  ];
  const tabs = createTabs(screens, { label: 'Screens' });
  tabs.onSelect((id) => {
    // A screen opens at its top: the long Train form would otherwise leave the next screen scrolled
    // under the sticky header.
    if (document.body.dataset.view !== id) window.scrollTo(0, 0);
    document.body.dataset.view = id;
    if (id === 'network') network.refresh();
  });
  const shortcuts = createShortcutsDialog();
  document.addEventListener('keydown', (event) => {
    if (event.key.toLowerCase() !== 't' || typingInField(event) || event.ctrlKey || event.metaKey || event.altKey || document.querySelector('dialog[open]')) return;
    const select = theme.element;
    select.selectedIndex = (select.selectedIndex + 1) % select.options.length;
    select.dispatchEvent(new Event('change'));
  });
  const header = h(
    'header',
    { class: 'topbar' },
    h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '◆'), 'scratchnet', h('span', { class: 'tagline' }, 'neural networks from scratch')),
    h('nav', { 'aria-label': 'Screens' }, tabs.list),
    h('div', { class: 'header-tools' }, theme.element, shortcuts.button, h('span', { class: 'host', 'data-testid': 'host-kind' }, kind === 'electron' ? 'desktop' : 'web')),
  );
  document.getElementById('app')!.append(header, h('main', {}, ...screens.map((s) => s.panel)), shortcuts.dialog);
  tabs.select('draw');
}

// The theme first, so the page never flashes the other one while the kernels load.
const theme = createThemeSwitch();

// Predictions on this page use the WebAssembly kernels too where the engine has them.
void useFastestBackend()
  .catch(() => undefined)
  .finally(start);

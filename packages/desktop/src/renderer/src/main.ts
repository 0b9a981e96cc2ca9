import './styles.css';
import { AppState } from './app-state.js';
import { connectHost } from './bridge/host-bridge.js';
import { createDrawView } from './draw/draw-view.js';
import { createInspectView } from './inspect/inspect-view.js';
import { createTeachView } from './teach/teach-view.js';
import { createTrainView } from './train/train-view.js';
import { TrainController } from './train/train-controller.js';
import { TrainingClient } from './training/training-client.js';
import { useFastestBackend } from '@scratchnet/core';
import { h } from './ui/dom.js';

/** Builds the app: three screens sharing one state, switched by tabs. */
function start(): void {
  const { kind, bridge } = connectHost();
  const app = new AppState(kind, bridge, new TrainingClient());
  const trainer = new TrainController(app);
  const views = {
    draw: createDrawView(app, trainer),
    train: createTrainView(app, trainer),
    inspect: createInspectView(app),
    teach: createTeachView(app, trainer),
  };
  const tabs = (Object.keys(views) as Array<keyof typeof views>).map((name) => {
    const tab = h('button', { class: 'tab', role: 'tab', 'data-testid': `tab-${name}` }, name[0].toUpperCase() + name.slice(1));
    tab.addEventListener('click', () => show(name));
    return { name, tab };
  });
  function show(name: keyof typeof views): void {
    for (const [key, view] of Object.entries(views)) view.hidden = key !== name;
    for (const { name: tabName, tab } of tabs) tab.setAttribute('aria-selected', String(tabName === name));
    document.body.dataset.view = name;
  }
  const header = h(
    'header',
    { class: 'topbar' },
    h('div', { class: 'brand' }, h('span', { class: 'logo' }, '◆'), 'scratchnet', h('span', { class: 'tagline' }, 'neural networks from scratch')),
    h('nav', { class: 'tabs', role: 'tablist' }, ...tabs.map((t) => t.tab)),
    h('span', { class: 'host', 'data-testid': 'host-kind' }, kind === 'electron' ? 'desktop' : 'web'),
  );
  document.getElementById('app')!.append(header, h('main', {}, ...Object.values(views)));
  show('draw');
}

// Predictions on this page use the WebAssembly kernels too where the engine has them.
void useFastestBackend()
  .catch(() => undefined)
  .finally(start);

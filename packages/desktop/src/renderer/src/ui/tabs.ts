import { h } from './dom.js';

export interface TabDefinition {
  /** Stable id: `tab-<id>` is the button's test id, `panel-<id>` the panel's id. */
  id: string;
  label: string;
  panel: HTMLElement;
}

export interface Tabs {
  /** The tablist (buttons only); the panels stay where the caller put them. */
  readonly list: HTMLElement;
  readonly selected: string;
  select(id: string, focus?: boolean): void;
  /** Called after every change of tab. */
  onSelect(listener: (id: string) => void): () => void;
}

/**
 * Tabs as the WAI-ARIA Authoring Practices' tabs pattern: a `tablist` of `tab` buttons, each
 * controlling a `tabpanel`; only the selected tab is in the tab order (roving tabindex), and
 * ←/→ (↑/↓ too), Home and End move between tabs and select them (automatic activation).
 */
export function createTabs(definitions: readonly TabDefinition[], options: { label: string; prefix?: string; className?: string }): Tabs {
  const prefix = options.prefix ?? '';
  const listeners = new Set<(id: string) => void>();
  let selected = definitions[0]?.id ?? '';
  const buttons = definitions.map(({ id, label, panel }) => {
    const button = h(
      'button',
      { class: 'tab', role: 'tab', type: 'button', id: `${prefix}tab-${id}`, 'data-testid': `tab-${id}`, 'aria-controls': `${prefix}panel-${id}` },
      label,
    );
    panel.id = `${prefix}panel-${id}`;
    panel.setAttribute('role', 'tabpanel');
    panel.setAttribute('aria-labelledby', button.id);
    button.addEventListener('click', () => select(id));
    return button;
  });
  const list = h('div', { class: options.className ?? 'tabs', role: 'tablist', 'aria-label': options.label }, ...buttons);
  list.addEventListener('keydown', (event) => {
    const index = buttons.indexOf(event.target as HTMLButtonElement);
    if (index < 0) return;
    const last = buttons.length - 1;
    const next = { ArrowRight: index + 1, ArrowDown: index + 1, ArrowLeft: index - 1, ArrowUp: index - 1, Home: 0, End: last }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    select(definitions[(next + buttons.length) % buttons.length].id, true);
  });

  function select(id: string, focus = false): void {
    if (!definitions.some((d) => d.id === id)) return;
    selected = id;
    definitions.forEach((definition, i) => {
      const on = definition.id === id;
      definition.panel.hidden = !on;
      buttons[i].setAttribute('aria-selected', String(on));
      buttons[i].tabIndex = on ? 0 : -1;
      if (on && focus) buttons[i].focus();
    });
    for (const listener of listeners) listener(id);
  }
  select(selected);

  return {
    list,
    get selected() {
      return selected;
    },
    select,
    onSelect(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

import { h } from './dom.js';

/** Every keyboard shortcut of the app, in one list (shown by `?`). */
export const SHORTCUTS: ReadonlyArray<{ keys: string; where: string; what: string }> = [
  { keys: '← → (Home, End)', where: 'tabs', what: 'Move between tabs (focus a tab first with Tab)' },
  { keys: 'Ctrl+Z', where: 'Draw, Network, Teach', what: 'Undo the last stroke' },
  { keys: 'Esc', where: 'Draw, Network, Teach', what: 'Clear the drawing (or close this list)' },
  { keys: '0 – 9', where: 'Teach', what: 'Label the drawing with that digit' },
  { keys: '0 – 9', where: 'Inspect: You versus the model', what: 'Answer with that digit' },
  { keys: 'N', where: 'Inspect: You versus the model', what: 'A new image' },
  { keys: 'T', where: 'anywhere', what: 'Cycle the colour theme: system, light, dark' },
  { keys: '?', where: 'anywhere', what: 'Show or hide this list' },
];

/** True when a key press is meant for a text field, not for a shortcut. */
export function typingInField(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  return !!target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/**
 * The shortcuts list: a modal <dialog> (focus is trapped and Esc closes it, natively), opened by
 * `?` or the header's button.
 */
export function createShortcutsDialog(): { dialog: HTMLDialogElement; button: HTMLButtonElement } {
  const close = h('button', { class: 'ghost', type: 'button', 'data-testid': 'shortcuts-close' }, 'Close');
  const dialog = h(
    'dialog',
    { class: 'shortcuts', 'data-testid': 'shortcuts', 'aria-labelledby': 'shortcuts-title' },
    h('h2', { id: 'shortcuts-title' }, 'Keyboard shortcuts'),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Keys'), h('th', { scope: 'col' }, 'Where'), h('th', { scope: 'col' }, 'What'))),
      h('tbody', {}, ...SHORTCUTS.map((s) => h('tr', {}, h('td', {}, h('kbd', {}, s.keys)), h('td', {}, s.where), h('td', {}, s.what)))),
    ),
    h('div', { class: 'actions' }, close),
  );
  close.addEventListener('click', () => dialog.close());
  const button = h('button', { class: 'ghost icon', type: 'button', 'data-testid': 'shortcuts-button', 'aria-label': 'Keyboard shortcuts', title: 'Keyboard shortcuts (?)' }, '?');
  button.addEventListener('click', () => dialog.showModal());
  document.addEventListener('keydown', (event) => {
    if (event.key !== '?' || typingInField(event) || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    if (dialog.open) dialog.close();
    else dialog.showModal();
  });
  return { dialog, button };
}

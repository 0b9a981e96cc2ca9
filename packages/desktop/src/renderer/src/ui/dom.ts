/** Attributes and children for `h`: strings become text nodes; null/false children are skipped. */
type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | EventListener | undefined>;

/**
 * Creates an element: `h('button', { class: 'primary', onclick: start }, 'Start')`.
 * Keys starting with "on" become event listeners; `true` sets a boolean attribute; text is
 * always inserted as text, never as HTML, so data set names and file names cannot inject markup.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Appends children, skipping empty ones. */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces all children. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A labelled form row. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLLabelElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control, hint ? h('span', { class: 'field-hint' }, hint) : null);
}

/** A <select> with the given options. */
export function select(options: ReadonlyArray<{ value: string; label: string }>, value: string, attributes: Attributes = {}): HTMLSelectElement {
  const element = h('select', attributes);
  for (const option of options) element.appendChild(h('option', { value: option.value, selected: option.value === value }, option.label));
  return element;
}

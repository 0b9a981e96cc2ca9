import { h } from '../ui/dom.js';

/** A short "What is this?" note a learner can open: a native <details>, so keyboard and screen readers work as is. */
export function explain(summary: string, text: string): HTMLDetailsElement {
  return h('details', { class: 'explain' }, h('summary', {}, summary), h('p', {}, text));
}

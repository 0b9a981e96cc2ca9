import { h } from '../ui/dom.js';

/** A form row whose problem is shown right under its control (empty and hidden while it is fine). */
export interface CheckedField {
  element: HTMLElement;
  /** Shows `message` under the control (and marks it invalid for assistive tech), or clears it. */
  setProblem(message: string | undefined): void;
}

/**
 * A labelled control with the CLI flag it stands for (`--lr`), a hint, and its own problem line:
 * `data-testid="problem-<name>"`. The flag is shown because the messages are the CLI's own.
 */
export function checkedField(name: string, label: string, control: HTMLElement, options: { flag?: string; hint?: string } = {}): CheckedField {
  const problemId = `problem-${name}`;
  const problem = h('span', { class: 'field-problem', id: problemId, 'data-testid': problemId, role: 'alert', hidden: true });
  control.setAttribute('aria-describedby', problemId);
  const element = h(
    'label',
    { class: 'field' },
    h('span', { class: 'field-label' }, label, options.flag ? h('code', { class: 'field-flag' }, options.flag) : null),
    control,
    options.hint ? h('span', { class: 'field-hint' }, options.hint) : null,
    problem,
  );
  return {
    element,
    setProblem(message) {
      problem.textContent = message ?? '';
      problem.hidden = !message;
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    },
  };
}

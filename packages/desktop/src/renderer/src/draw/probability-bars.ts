import { h } from '../ui/dom.js';

/** Ten horizontal bars, one per class, with the top guess highlighted. */
export class ProbabilityBars {
  readonly element: HTMLElement;
  private readonly rows: Array<{ row: HTMLElement; name: HTMLElement; fill: HTMLElement; value: HTMLElement }> = [];

  constructor(classCount = 10) {
    this.element = h('div', { class: 'bars', 'data-testid': 'probability-bars' });
    for (let c = 0; c < classCount; c++) {
      const name = h('span', { class: 'bar-name' }, String(c));
      const fill = h('span', { class: 'bar-fill' });
      const value = h('span', { class: 'bar-value' }, '–');
      const row = h('div', { class: 'bar-row' }, name, h('span', { class: 'bar-track' }, fill), value);
      this.rows.push({ row, name, fill, value });
      this.element.appendChild(row);
    }
  }

  /** Shows probabilities (or clears the bars when null). */
  update(probabilities: Float32Array | null, classNames: readonly string[]): void {
    let best = -1;
    if (probabilities) {
      for (let c = 0; c < probabilities.length; c++) if (best < 0 || probabilities[c] > probabilities[best]) best = c;
    }
    this.rows.forEach(({ row, name, fill, value }, c) => {
      const p = probabilities ? probabilities[c] : 0;
      name.textContent = classNames[c] ?? String(c);
      fill.style.width = `${(p * 100).toFixed(1)}%`;
      value.textContent = probabilities ? `${(p * 100).toFixed(1)}%` : '–';
      row.classList.toggle('top', c === best);
    });
  }
}

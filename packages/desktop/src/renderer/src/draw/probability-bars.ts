import { h } from '../ui/dom.js';

/** The spoken prediction waits for the drawing to settle this long, so a screen reader is not flooded every frame. */
export const ANNOUNCE_DELAY_MS = 600;

/**
 * Ten horizontal bars, one per class, with the top guess highlighted; the guess is also
 * announced to screen readers (an `aria-live` status), once the drawing settles.
 */
export class ProbabilityBars {
  readonly element: HTMLElement;
  /** Visually hidden, read out by screen readers: "Prediction: 7, 93.1% sure". */
  readonly announcement: HTMLElement;
  private announceTimer: ReturnType<typeof setTimeout> | null = null;
  private pending = '';
  private readonly rows: Array<{ row: HTMLElement; name: HTMLElement; fill: HTMLElement; value: HTMLElement }> = [];

  constructor(classCount = 10) {
    this.announcement = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'data-testid': 'prediction-announcement' });
    const bars = h('div', { class: 'bars', 'data-testid': 'probability-bars' });
    this.element = h('div', { class: 'bars-wrap' }, bars, this.announcement);
    for (let c = 0; c < classCount; c++) {
      const name = h('span', { class: 'bar-name' }, String(c));
      const fill = h('span', { class: 'bar-fill' });
      const value = h('span', { class: 'bar-value' }, '–');
      const row = h('div', { class: 'bar-row' }, name, h('span', { class: 'bar-track' }, fill), value);
      this.rows.push({ row, name, fill, value });
      bars.appendChild(row);
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
    this.announce(probabilities && best >= 0 ? `Prediction: ${classNames[best] ?? best}, ${(probabilities[best] * 100).toFixed(1)}% sure` : '');
  }

  /** Sets the live region's text once the prediction has not changed for ANNOUNCE_DELAY_MS (debounced). */
  private announce(text: string): void {
    if (text === this.pending) return;
    this.pending = text;
    if (this.announceTimer !== null) clearTimeout(this.announceTimer);
    this.announceTimer = setTimeout(() => {
      this.announceTimer = null;
      this.announcement.textContent = this.pending;
    }, ANNOUNCE_DELAY_MS);
  }
}

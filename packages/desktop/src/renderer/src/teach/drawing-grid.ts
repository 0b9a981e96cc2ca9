import { h, replaceChildren } from '../ui/dom.js';
import { imageCanvas } from '../ui/image-canvas.js';
import type { Drawing, HandwritingSet } from './handwriting-set.js';

/**
 * The user's drawings in two grids, the training ones and the held-out ones, each with its label
 * and a delete button. Redrawn whenever the set changes (a few hundred thumbnails at most).
 */
export class DrawingGrid {
  readonly element: HTMLElement;
  private readonly trainTitle = h('h2', {});
  private readonly heldOutTitle = h('h2', {});
  private readonly trainGrid = h('div', { class: 'drawing-grid', 'data-testid': 'training-drawings' });
  private readonly heldOutGrid = h('div', { class: 'drawing-grid', 'data-testid': 'held-out-drawings' });

  constructor(
    private readonly set: HandwritingSet,
    private readonly onDelete: (id: number) => void,
  ) {
    this.element = h(
      'div',
      { class: 'card drawings-card' },
      this.trainTitle,
      this.trainGrid,
      this.heldOutTitle,
      h('p', { class: 'hint' }, 'Never trained on: these measure how well the model reads your handwriting.'),
      this.heldOutGrid,
    );
    set.onChange(() => this.render());
    this.render();
  }

  private render(): void {
    const training = this.set.training;
    const heldOut = this.set.heldOut;
    this.trainTitle.textContent = `Your drawings for training (${training.length})`;
    this.heldOutTitle.textContent = `Held out — your own test set (${heldOut.length})`;
    replaceChildren(this.trainGrid, ...training.map((d) => this.tile(d)), training.length ? null : h('p', { class: 'hint' }, 'None yet.'));
    replaceChildren(this.heldOutGrid, ...heldOut.map((d) => this.tile(d)), heldOut.length ? null : h('p', { class: 'hint' }, 'Every 5th drawing lands here.'));
  }

  private tile(drawing: Drawing): HTMLElement {
    const remove = h('button', { class: 'ghost danger delete-drawing', 'data-testid': `delete-${drawing.id}`, title: 'Delete this drawing', 'aria-label': `Delete drawing ${drawing.id} (${drawing.label})` }, '×');
    remove.addEventListener('click', () => this.onDelete(drawing.id));
    return h(
      'figure',
      { class: `example drawing${drawing.heldOut ? ' held-out' : ''}`, 'data-testid': `drawing-${drawing.id}`, 'data-label': drawing.label },
      imageCanvas(drawing.pixels, 28, 28, 255),
      h('figcaption', {}, String(drawing.label)),
      remove,
    );
  }
}

import { Augmenter, parseAugmentSpec, Rng } from '@scratchnet/core';
import type { DatasetBytes } from '../../../shared/bridge-api.js';
import { h, replaceChildren } from '../ui/dom.js';
import { paintGrey } from '../ui/image-canvas.js';

/** Samples in the preview grid (one row of originals, one of the same images augmented). */
const SAMPLES = 8;

/**
 * A grid of training images before and after augmentation, drawn with core's Augmenter (the one
 * `fit` applies per batch) from the current data set; "Another roll" draws other images and other
 * distortions. It shows what the spec does before a run is spent on it.
 */
export function augmentPreview(images: () => Promise<DatasetBytes | null>): {
  element: HTMLElement;
  /** Shows `spec` applied to images of the data set named by `source` (null spec: hidden). */
  show(spec: string | null, source?: string): Promise<void>;
} {
  let roll = 1;
  let spec: string | null = null;
  let source = '';
  /** What the grid shows now, so typing in other fields does not redraw it. */
  let drawn = '';
  /** Only the newest of overlapping draws (each waits for the data) paints. */
  let generation = 0;
  const originals = h('div', { class: 'augment-row', 'data-testid': 'augment-originals' });
  const augmented = h('div', { class: 'augment-row', 'data-testid': 'augment-samples' });
  const note = h('p', { class: 'hint', 'data-testid': 'augment-preview-note' });
  const again = h('button', { type: 'button', class: 'ghost', 'data-testid': 'augment-reroll' }, 'Another roll');
  const element = h(
    'div',
    { class: 'augment-preview', 'data-testid': 'augment-preview', hidden: true },
    h('span', { class: 'field-label' }, 'Original'),
    originals,
    h('span', { class: 'field-label' }, 'Augmented (as training sees them)'),
    augmented,
    h('div', { class: 'actions' }, again, note),
  );

  async function draw(): Promise<void> {
    const key = `${spec}\n${source}\n${roll}`;
    if (key === drawn) return;
    drawn = key;
    const mine = ++generation;
    let config: ReturnType<typeof parseAugmentSpec> = null;
    try {
      config = spec === null ? null : parseAugmentSpec(spec);
    } catch {
      config = null; // the field shows the problem
    }
    element.hidden = config === null;
    if (!config) return;
    const data = await images();
    if (mine !== generation) return;
    if (!data || data.count === 0) {
      drawn = ''; // try again once there is data
      replaceChildren(originals);
      replaceChildren(augmented);
      note.textContent = 'Pick the data set’s files (start a run) to preview them.';
      return;
    }
    const size = data.rows * data.cols;
    const rng = new Rng(roll);
    const x = new Float32Array(SAMPLES * size);
    for (let s = 0; s < SAMPLES; s++) {
      const index = rng.int(data.count);
      for (let i = 0; i < size; i++) x[s * size + i] = data.images[index * size + i] / 255;
    }
    const before = x.slice();
    new Augmenter(config, [1, data.rows, data.cols], SAMPLES, roll).apply(x, SAMPLES, 0, 0);
    const tile = (pixels: Float32Array) => {
      const canvas = h('canvas', { class: 'thumb augment-tile' });
      paintGrey(canvas, pixels, data.cols, data.rows, 1);
      return canvas;
    };
    replaceChildren(originals, ...Array.from({ length: SAMPLES }, (_, s) => tile(before.subarray(s * size, (s + 1) * size))));
    replaceChildren(augmented, ...Array.from({ length: SAMPLES }, (_, s) => tile(x.subarray(s * size, (s + 1) * size))));
    element.setAttribute('data-roll', String(roll));
    note.textContent = `${SAMPLES} images of ${data.source}, roll ${roll}.`;
  }

  again.addEventListener('click', () => {
    roll++;
    void draw();
  });
  return {
    element,
    show(next, from = '') {
      spec = next;
      source = from;
      return draw();
    },
  };
}

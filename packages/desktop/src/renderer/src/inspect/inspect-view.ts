import { describeFailure } from '../../../shared/error-envelope.js';
import type { AppState } from '../app-state.js';
import { DATASET_CHOICES, type DatasetChoice } from '../data/dataset-catalog.js';
import { loadDatasetChoice } from '../data/load-dataset.js';
import type { Evaluation } from '../training/training-client.js';
import { h, replaceChildren, select } from '../ui/dom.js';
import { count, loss, percent } from '../ui/format.js';
import { exampleImage, imageCanvas } from '../ui/image-canvas.js';
import { confusionMatrix, filterExamples, type GalleryFilter, heatColour, heatNeedsDarkText, perClassAccuracy } from './confusion.js';
import { createGuessingGame } from './guessing-game.js';
import { createModelTable } from './model-table.js';

const PAGE = 96;

/**
 * The Inspect screen: the current model on the test set — a confusion matrix whose cells open
 * their examples, per-class accuracy, a filterable gallery, and the guessing game.
 */
export function createInspectView(app: AppState): HTMLElement {
  const evaluate = h('button', { class: 'primary', 'data-testid': 'evaluate' }, 'Evaluate on the test set');
  const testSet = select(
    DATASET_CHOICES.map((c) => ({ value: c.value, label: c.label.replace(/ \(.*$/, '') })),
    'offline-digits',
    { 'data-testid': 'inspect-dataset', 'aria-label': 'Test set' },
  );
  // Follow the data set the Train screen last loaded, so the matrix matches the model's classes.
  app.onDatasetChange(() => {
    if (app.dataset) testSet.value = app.dataset.choice;
  });
  const summary = h('div', { class: 'inspect-summary', 'data-testid': 'inspect-summary' }, 'Evaluate the current model to see where it goes wrong.');
  const matrix = h('div', { class: 'confusion', 'data-testid': 'confusion-matrix' });
  const perClass = h('div', { class: 'per-class', 'data-testid': 'per-class' });
  const gallery = h('div', { class: 'gallery', 'data-testid': 'gallery' });
  const galleryInfo = h('p', { class: 'hint', 'data-testid': 'gallery-info' });
  const more = h('button', { class: 'ghost', hidden: true }, 'Show more');

  const mistakes = h('input', { type: 'checkbox', checked: true, 'data-testid': 'filter-mistakes' });
  const classOptions = () => [{ value: '', label: 'any' }, ...(app.dataset?.classNames ?? []).map((name, c) => ({ value: String(c), label: name }))];
  let trueSelect = select(classOptions(), '', { 'data-testid': 'filter-true' });
  let predictedSelect = select(classOptions(), '', { 'data-testid': 'filter-predicted' });
  const filters = h('div', { class: 'filters' });

  let evaluation: Evaluation | null = null;
  let shown = PAGE;

  function filter(): GalleryFilter {
    return {
      mistakesOnly: mistakes.checked,
      trueClass: trueSelect.value === '' ? null : Number(trueSelect.value),
      predictedClass: predictedSelect.value === '' ? null : Number(predictedSelect.value),
    };
  }

  function buildFilters(): void {
    trueSelect = select(classOptions(), trueSelect.value, { 'data-testid': 'filter-true' });
    predictedSelect = select(classOptions(), predictedSelect.value, { 'data-testid': 'filter-predicted' });
    for (const control of [mistakes, trueSelect, predictedSelect]) {
      control.addEventListener('change', () => {
        shown = PAGE;
        renderGallery();
      });
    }
    replaceChildren(
      filters,
      h('label', { class: 'check' }, mistakes, 'Mistakes only'),
      h('label', { class: 'inline' }, 'True class', trueSelect),
      h('label', { class: 'inline' }, 'Predicted', predictedSelect),
    );
  }
  buildFilters();

  evaluate.addEventListener('click', async () => {
    const model = app.model;
    if (!model) {
      summary.textContent = 'No model yet: train one or load a checkpoint first.';
      return;
    }
    evaluate.disabled = true;
    summary.textContent = 'Evaluating…';
    try {
      const choice = testSet.value as DatasetChoice;
      if (!app.dataset || app.dataset.choice !== choice || choice === 'files') {
        const loaded = await loadDatasetChoice(choice, app.bridge);
        if (!loaded) {
          summary.textContent = 'No files picked.';
          return;
        }
        app.setDataset(loaded);
      }
      if (app.dataset!.classNames.join('\u0000') !== model.classNames.join('\u0000')) {
        summary.textContent = `This model's classes (${model.classNames.slice(0, 3).join(', ')}, …) are not this test set's (${app.dataset!.classNames.slice(0, 3).join(', ')}, …): pick the data set it was trained on.`;
        return;
      }
      const data = app.dataset!.test;
      evaluation = await app.training.evaluate(model, data);
      buildFilters();
      renderAll();
    } catch (error) {
      summary.textContent = `Could not evaluate: ${describeFailure(error)}`;
    } finally {
      evaluate.disabled = false;
    }
  });
  more.addEventListener('click', () => {
    shown += PAGE;
    renderGallery();
  });

  function renderAll(): void {
    const data = app.dataset?.test;
    if (!evaluation || !data) return;
    const names = app.dataset!.classNames;
    const classes = names.length;
    const confusion = confusionMatrix(data.labels, evaluation.predictions, classes);
    const recall = perClassAccuracy(confusion);
    summary.setAttribute('data-accuracy', evaluation.accuracy.toFixed(4));
    replaceChildren(
      summary,
      h('span', { class: 'big' }, percent(evaluation.accuracy)),
      ` accuracy on ${count(data.count)} test images of ${app.dataset!.label} · loss ${loss(evaluation.loss)} · ${count(data.count - Math.round(evaluation.accuracy * data.count))} mistakes`,
    );

    const max = Math.max(1, ...confusion.flatMap((row, t) => row.filter((_, p) => p !== t)));
    const diagonalMax = Math.max(1, ...confusion.map((row, t) => row[t]));
    const cells: HTMLElement[] = [h('div', { class: 'corner' }, 'true ↓ / predicted →')];
    for (const name of names) cells.push(h('div', { class: 'axis' }, shortName(name)));
    confusion.forEach((row, t) => {
      cells.push(h('div', { class: 'axis' }, shortName(names[t])));
      row.forEach((value, p) => {
        const cell = h('button', { class: 'cell', 'data-testid': `cell-${t}-${p}`, title: `${value} × true ${names[t]} predicted ${names[p]}` }, value ? String(value) : '');
        cell.style.background = heatColour(value, t === p ? diagonalMax : max, t === p);
        cell.classList.toggle('bright', heatNeedsDarkText(value, t === p ? diagonalMax : max));
        cell.addEventListener('click', () => {
          mistakes.checked = t !== p;
          trueSelect.value = String(t);
          predictedSelect.value = String(p);
          shown = PAGE;
          renderGallery();
          gallery.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
        });
        cells.push(cell);
      });
    });
    replaceChildren(matrix, ...cells);
    matrix.style.gridTemplateColumns = `auto repeat(${classes}, minmax(0, 1fr))`;

    replaceChildren(
      perClass,
      ...recall.map((value, c) => {
        const fill = h('span', { class: 'bar-fill' });
        fill.style.width = `${Number.isFinite(value) ? value * 100 : 0}%`;
        return h('div', { class: 'bar-row' }, h('span', { class: 'bar-name' }, names[c]), h('span', { class: 'bar-track' }, fill), h('span', { class: 'bar-value' }, percent(value)));
      }),
    );
    renderGallery();
  }

  function renderGallery(): void {
    const data = app.dataset?.test;
    if (!evaluation || !data) return;
    const names = app.dataset!.classNames;
    const indices = filterExamples(data.labels, evaluation.predictions, evaluation.probabilities, names.length, filter());
    galleryInfo.textContent = `${count(indices.length)} images${indices.length > shown ? `, showing ${shown}` : ''}`;
    replaceChildren(
      gallery,
      ...indices.slice(0, shown).map((i) => {
        const predicted = evaluation!.predictions[i];
        const truth = data.labels[i];
        const confidence = evaluation!.probabilities[i * names.length + predicted];
        return h(
          'figure',
          { class: `example ${predicted === truth ? 'right' : 'wrong'}`, title: `#${i}: true ${names[truth]}, predicted ${names[predicted]} (${percent(confidence)})` },
          imageCanvas(exampleImage(data, i), data.rows, data.cols, 255),
          h('figcaption', {}, predicted === truth ? shortName(names[truth]) : `${shortName(names[truth])}→${shortName(names[predicted])}`),
        );
      }),
    );
    more.hidden = indices.length <= shown;
  }

  app.onModelChange(() => {
    if (evaluation) summary.textContent = 'The model changed: evaluate again to update.';
  });

  return h(
    'section',
    { class: 'view inspect-view', 'data-view': 'inspect' },
    h('div', { class: 'card inspect-head' }, h('div', { class: 'actions' }, testSet, evaluate), summary),
    h(
      'div',
      { class: 'inspect-layout' },
      h('div', { class: 'card' }, h('h2', {}, 'Confusion matrix'), h('p', { class: 'hint' }, 'Click a cell to see its images.'), matrix),
      h('div', { class: 'card' }, h('h2', {}, 'Accuracy per class'), perClass),
    ),
    h('div', { class: 'card' }, h('h2', {}, 'Test images'), filters, galleryInfo, gallery, more),
    createGuessingGame(app),
    createModelTable(app),
  );
}

function shortName(name: string): string {
  return name.length > 8 ? `${name.slice(0, 7)}…` : name;
}

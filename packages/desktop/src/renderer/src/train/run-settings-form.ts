import { DIGITS_AUGMENT, RUN_LOSSES } from '@scratchnet/core';
import type { AppState } from '../app-state.js';
import { DATASET_CHOICES, type DatasetChoice } from '../data/dataset-catalog.js';
import { loadOfflineDigits } from '../data/offline-digits.js';
import { specFromConfig, writesOwnLayers } from '../model/spec-from-config.js';
import { OPTIMIZERS, type TrainConfig } from '../training/worker-protocol.js';
import { append, field, h, replaceChildren, select } from '../ui/dom.js';
import { architectureSummary } from './architecture-summary.js';
import { augmentPreview } from './augment-preview.js';
import { type CheckedField, checkedField } from './checked-field.js';
import { type FieldName, type FormValues, formValues, readForm, readThreads } from './config-check.js';
import { DEFAULT_PRESET_ID, PRESETS, presetById } from './presets.js';
import { threadSupport } from './thread-support.js';
import './train-form.css';

const LOSS_LABELS: Record<string, string> = { ce: 'Cross-entropy (softmax)', mse: 'Mean squared error (sigmoid)', bce: 'Binary cross-entropy (sigmoid)' };

/** What the form says, read by core's rules. */
export interface RunRequest {
  config: TrainConfig;
  dataset: DatasetChoice;
  continueFromCurrent: boolean;
  threads: number;
  /** One message per problem (empty: the run can start). */
  problems: string[];
}

/**
 * The Train screen's settings: data set, preset, and a field for every training option of the
 * CLI, each checked as it is typed by core's rule with its problem under the field; the layers
 * the Layers field describes; the augmentation preview; the threads. The caller appends its own
 * controls (the list of problems, Start…) to `form`.
 */
export function createRunSettingsForm(app: AppState): {
  form: HTMLFormElement;
  /** Checks every field and, once `read` was called for a start, keeps the list of problems up to date. */
  read(): RunRequest;
  /** Fills every field from a configuration (a checkpoint's recorded settings). */
  fill(config: TrainConfig, note: string): void;
  /** The list of problems, shown after a start attempt. */
  problems: HTMLElement;
} {
  const dataset = select(
    DATASET_CHOICES.map((c) => ({ value: c.value, label: c.label })),
    'offline-digits',
    { 'data-testid': 'dataset-select' },
  );
  const preset = select(
    PRESETS.map((p) => ({ value: p.id, label: p.label })),
    DEFAULT_PRESET_ID,
    { 'data-testid': 'preset-select' },
  );
  const presetNote = h('p', { class: 'hint preset-note' });
  const text = (testId: string) => h('input', { type: 'text', spellcheck: false, autocomplete: 'off', 'data-testid': testId });
  const number = (testId: string, attributes: Record<string, number | string> = {}) => h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', 'data-testid': testId, ...attributes });
  const controls = {
    architecture: text('architecture'),
    activations: text('activations'),
    dropout: number('dropout'),
    optimizer: select(
      OPTIMIZERS.map((o) => ({ value: o, label: o === 'adamw' ? 'AdamW' : o === 'rmsprop' ? 'RMSProp' : o[0].toUpperCase() + o.slice(1) })),
      'adam',
      { 'data-testid': 'optimizer' },
    ),
    learningRate: number('learning-rate'),
    batchSize: number('batch-size', { inputmode: 'numeric' }),
    epochs: number('epochs', { inputmode: 'numeric' }),
    seed: number('seed', { inputmode: 'numeric' }),
    loss: select(
      RUN_LOSSES.map((l) => ({ value: l, label: LOSS_LABELS[l] ?? l })),
      'ce',
      { 'data-testid': 'loss' },
    ),
    schedule: text('schedule'),
    weightDecay: number('weight-decay', { placeholder: 'none' }),
    momentum: number('momentum', { placeholder: 'optimizer default' }),
    earlyStopping: number('early-stopping', { inputmode: 'numeric', placeholder: 'off' }),
    valSplit: number('val-split'),
    augment: text('augment-spec'),
    trainLimit: number('train-limit', { inputmode: 'numeric', placeholder: 'all' }),
  } satisfies Record<keyof FormValues, HTMLInputElement | HTMLSelectElement>;
  const augmentOn = h('input', { type: 'checkbox', 'data-testid': 'augment' });
  const continueFrom = h('input', { type: 'checkbox', 'data-testid': 'continue' });

  // Threads: core's pool needs shared memory, which the page has only when cross-origin isolated.
  const support = threadSupport();
  const threads = number('threads', { inputmode: 'numeric' });
  threads.value = String(support.defaultThreads);
  threads.disabled = !support.isolated;
  const threadsNote = h('p', { class: 'hint', 'data-testid': 'threads-note', hidden: support.isolated }, support.note);

  const fields: Record<FieldName, CheckedField> = {
    architecture: checkedField('architecture', 'Layers', controls.architecture, {
      flag: '--arch',
      hint: 'input-hidden…-output (784-128-10), layers one by one (1x28x28-conv(6,5,pad=2)-relu-maxpool(2)-flatten-10), or a JSON model spec',
    }),
    activations: checkedField('activations', 'Activations', controls.activations, { flag: '--activations', hint: 'relu, or one per hidden layer: relu,selu,tanh' }),
    dropout: checkedField('dropout', 'Dropout', controls.dropout, { flag: '--dropout' }),
    optimizer: checkedField('optimizer', 'Optimizer', controls.optimizer, { flag: '--optimizer' }),
    learningRate: checkedField('learningRate', 'Learning rate', controls.learningRate, { flag: '--lr' }),
    batchSize: checkedField('batchSize', 'Batch size', controls.batchSize, { flag: '--batch-size' }),
    epochs: checkedField('epochs', 'Epochs', controls.epochs, { flag: '--epochs' }),
    seed: checkedField('seed', 'Seed', controls.seed, { flag: '--seed' }),
    loss: checkedField('loss', 'Loss', controls.loss, { flag: '--loss' }),
    schedule: checkedField('schedule', 'Learning-rate schedule', controls.schedule, { flag: '--schedule', hint: 'constant, cosine, step:5:0.5, exp:0.95, warmup:2:cosine' }),
    weightDecay: checkedField('weightDecay', 'Weight decay', controls.weightDecay, { flag: '--weight-decay' }),
    momentum: checkedField('momentum', 'Momentum', controls.momentum, { flag: '--momentum', hint: 'sgd and momentum only' }),
    earlyStopping: checkedField('earlyStopping', 'Early stopping', controls.earlyStopping, { flag: '--early-stopping', hint: 'epochs without a better validation loss' }),
    valSplit: checkedField('valSplit', 'Validation split', controls.valSplit, { flag: '--val-split' }),
    augment: checkedField('augment', 'Augmentation spec', controls.augment, { flag: '--augment', hint: 'rotate=15,shift=3,scale=0.15,shear=10,elastic,stroke=0.3,erase=0.2' }),
    trainLimit: checkedField('trainLimit', 'Training images', controls.trainLimit, { flag: '--train-limit', hint: 'a seeded random subset' }),
    threads: checkedField('threads', 'Threads', threads, { flag: '--threads', hint: `1 to ${support.cores} (this machine’s cores)` }),
  };

  const summary = architectureSummary();
  const preview = augmentPreview(async () => {
    const choice = dataset.value as DatasetChoice;
    if (app.dataset && (app.dataset.choice === choice || choice === 'files')) return app.dataset.train;
    if (choice === 'offline-digits') return (await loadOfflineDigits()).train;
    return app.dataset?.train ?? null;
  });

  const formProblems = h('ul', { class: 'problems', 'data-testid': 'config-problems', hidden: true });
  /** Whether Start was pressed: from then on the list of problems under the form is kept up to date. */
  let attempted = false;
  function showProblems(problems: string[]): void {
    replaceChildren(formProblems, ...problems.map((p) => h('li', {}, p)));
    formProblems.hidden = problems.length === 0;
  }

  function values(): FormValues {
    const v = Object.fromEntries(Object.entries(controls).map(([name, control]) => [name, control.value])) as unknown as FormValues;
    v.augment = augmentOn.checked ? controls.augment.value : '';
    return v;
  }

  function fillForm(config: TrainConfig, note: string): void {
    const v = formValues(config);
    for (const [name, control] of Object.entries(controls)) control.value = v[name as keyof FormValues];
    augmentOn.checked = v.augment !== '';
    controls.augment.value = v.augment || DIGITS_AUGMENT;
    presetNote.textContent = note;
    syncLayerFields();
    check();
  }
  function applyPreset(id: string): void {
    const p = presetById(id);
    if (p) fillForm(p.config, p.note);
  }
  /** A layer-by-layer architecture (a CNN) writes its own activations: that field does not apply. */
  function syncLayerFields(): void {
    const own = writesOwnLayers(controls.architecture.value);
    controls.activations.disabled = own;
    controls.activations.placeholder = own ? 'written in the layers' : '';
    if (own) controls.activations.value = '';
    controls.augment.disabled = !augmentOn.checked;
  }

  /** The continued model's layers stay: they must fit the data; the typed layers are not used. */
  function modelCheck() {
    const current = continueFrom.checked ? app.model : null;
    // Picked files take the continued model's classes (the controller gives the run its names).
    const classCount = current && dataset.value === 'files' ? current.classNames.length : undefined;
    return current ? { keep: current.spec, classCount } : {};
  }

  /** Checks every field with core's rules and shows each problem next to its field; returns the run's settings. */
  function check(): { config: TrainConfig; threads: number; problems: string[] } {
    const { config, problems } = readForm(values(), modelCheck());
    const threadCount = support.isolated ? readThreads(threads.value, support.cores) : { threads: 1 };
    if (threadCount.problem) problems.threads = threadCount.problem;
    for (const [name, f] of Object.entries(fields)) f.setProblem(problems[name as FieldName]);
    let spec = null;
    try {
      spec = problems.architecture || continueFrom.checked ? null : specFromConfig(config);
    } catch {
      spec = null;
    }
    summary.show(spec);
    // After a start attempt the list under the form follows the fields too (a fixed field leaves it).
    if (attempted) showProblems(Object.values(problems));
    void preview.show(augmentOn.checked && !problems.augment ? controls.augment.value : null, `${dataset.value}:${app.dataset?.label ?? ''}`);
    return { config, threads: threadCount.threads, problems: Object.values(problems) };
  }

  controls.architecture.addEventListener('input', syncLayerFields);
  augmentOn.addEventListener('change', syncLayerFields);
  preset.addEventListener('change', () => applyPreset(preset.value));
  const settingsForm = h('form', { class: 'card settings', onsubmit: (e: Event) => e.preventDefault() });
  settingsForm.addEventListener('input', () => check());
  settingsForm.addEventListener('change', () => check());
  applyPreset(preset.value);
  // A run loads its data set: the augmentation preview then draws from it.
  app.onDatasetChange(() => check());
  // Continuing needs a current model.
  const syncContinue = () => {
    continueFrom.disabled = !app.model;
  };
  app.onModelChange(syncContinue);
  syncContinue();

  append(settingsForm, [
    h('h2', {}, 'Data and network'),
    field('Data set', dataset),
    field('Preset', preset),
    presetNote,
    fields.architecture.element,
    summary.element,
    h('div', { class: 'grid-2' }, fields.activations.element, fields.dropout.element),
    h('h2', {}, 'Training'),
    h('div', { class: 'grid-2' }, fields.optimizer.element, fields.learningRate.element),
    h('div', { class: 'grid-2' }, fields.momentum.element, fields.weightDecay.element),
    h('div', { class: 'grid-2' }, fields.loss.element, fields.schedule.element),
    h('div', { class: 'grid-3' }, fields.batchSize.element, fields.epochs.element, fields.earlyStopping.element),
    h('div', { class: 'grid-3' }, fields.valSplit.element, fields.trainLimit.element, fields.seed.element),
    h('label', { class: 'check' }, augmentOn, 'Augment the training images (random distortions, new each batch)'),
    fields.augment.element,
    preview.element,
    fields.threads.element,
    threadsNote,
    h('label', { class: 'check' }, continueFrom, 'Continue from the current model (keeps its layers; resumes exactly with the same optimizer, seed and batch size)'),
  ]);
  return {
    form: settingsForm,
    read() {
      attempted = true;
      const { config, threads: threadCount, problems } = check();
      return { config, dataset: dataset.value as DatasetChoice, continueFromCurrent: continueFrom.checked, threads: threadCount, problems };
    },
    fill: fillForm,
    problems: formProblems,
  };
}

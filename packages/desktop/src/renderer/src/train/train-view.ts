import { describeFailure } from '../../../shared/error-envelope.js';
import type { AppState } from '../app-state.js';
import { DATASET_CHOICES, type DatasetChoice } from '../data/dataset-catalog.js';
import { decodeSnapshot, encodeSnapshot, exportSnapshotOnnx, suggestCheckpointName } from '../model/checkpoint-codec.js';
import { describeArchitecture, parameterCount } from '../model/model-snapshot.js';
import { writesOwnLayers } from '../model/spec-from-config.js';
import { OPTIMIZERS, type OptimizerName, type TrainConfig } from '../training/worker-protocol.js';
import { field, h, replaceChildren, select } from '../ui/dom.js';
import { count, duration, loss, percent } from '../ui/format.js';
import { checkHyperparameters, checkModelFits, checkTrainConfig } from './config-check.js';
import { MetricChart } from './metric-chart.js';
import { DEFAULT_PRESET_ID, PRESETS, presetById } from './presets.js';
import { configFromSettings, hiddenSettings } from './run-settings.js';
import type { TrainController } from './train-controller.js';

/** The Train screen: data, architecture and hyperparameters, run controls, live charts, checkpoints. */
export function createTrainView(app: AppState, trainer: TrainController): HTMLElement {
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
  const architecture = h('input', { type: 'text', spellcheck: false, 'data-testid': 'architecture' });
  const activations = h('input', { type: 'text', spellcheck: false, 'data-testid': 'activations' });
  const dropout = h('input', { type: 'number', min: 0, max: 0.9, step: 0.05, 'data-testid': 'dropout' });
  const optimizer = select(
    OPTIMIZERS.map((o) => ({ value: o, label: o === 'adamw' ? 'AdamW' : o === 'rmsprop' ? 'RMSProp' : o[0].toUpperCase() + o.slice(1) })),
    'adam',
    { 'data-testid': 'optimizer' },
  );
  const learningRate = h('input', { type: 'number', min: 0, step: 0.0005, 'data-testid': 'learning-rate' });
  const batchSize = h('input', { type: 'number', min: 1, max: 4096, step: 1, 'data-testid': 'batch-size' });
  const epochs = h('input', { type: 'number', min: 1, max: 1000, step: 1, 'data-testid': 'epochs' });
  const seed = h('input', { type: 'number', min: 0, step: 1, 'data-testid': 'seed' });
  const continueFrom = h('input', { type: 'checkbox', 'data-testid': 'continue' });

  /** Settings the form has no field for (loss, schedule, weight decay…), from the preset or checkpoint that filled it. */
  let hidden: Partial<TrainConfig> = {};
  function fillForm(config: TrainConfig, note: string): void {
    architecture.value = config.architecture;
    activations.value = config.activations;
    dropout.value = String(config.dropout);
    optimizer.value = config.optimizer;
    learningRate.value = String(config.learningRate);
    batchSize.value = String(config.batchSize);
    epochs.value = String(config.epochs);
    seed.value = String(config.seed);
    hidden = hiddenSettings(config);
    presetNote.textContent = note;
    syncLayerFields();
  }
  function applyPreset(id: string): void {
    const p = presetById(id);
    if (p) fillForm(p.config, p.note);
  }
  /** A layer-by-layer architecture (a CNN) writes its own activations and dropout: those fields do not apply. */
  function syncLayerFields(): void {
    const own = writesOwnLayers(architecture.value);
    activations.disabled = own;
    dropout.disabled = own;
    activations.placeholder = own ? 'written in the layers' : '';
    if (own) {
      activations.value = '';
      dropout.value = '0';
    }
  }
  architecture.addEventListener('input', syncLayerFields);
  preset.addEventListener('change', () => applyPreset(preset.value));
  applyPreset(preset.value);

  function readConfig(): TrainConfig {
    return {
      architecture: architecture.value.trim(),
      activations: activations.value.trim() || (writesOwnLayers(architecture.value) ? '' : 'relu'),
      dropout: Number(dropout.value) || 0,
      optimizer: optimizer.value as OptimizerName,
      // Empty fields read as NaN (not 0) so the check below names them.
      learningRate: learningRate.value.trim() === '' ? Number.NaN : Number(learningRate.value),
      batchSize: batchSize.value.trim() === '' ? Number.NaN : Number(batchSize.value),
      epochs: epochs.value.trim() === '' ? Number.NaN : Number(epochs.value),
      seed: seed.value.trim() === '' ? 0 : Number(seed.value),
      ...hidden,
    };
  }

  const start = h('button', { class: 'primary', 'data-testid': 'start' }, 'Start training');
  const pause = h('button', { class: 'ghost', 'data-testid': 'pause' }, 'Pause');
  const stop = h('button', { class: 'ghost danger', 'data-testid': 'stop' }, 'Stop');
  const formProblems = h('ul', { class: 'problems', 'data-testid': 'config-problems', hidden: true });
  start.addEventListener('click', () => {
    const config = readConfig();
    // Continuing keeps the current model's layers: it must fit the data, and the hyperparameters be valid.
    const current = continueFrom.checked ? app.model : null;
    // Picked files take the continued model's classes (the controller gives the run its names).
    const classCount = current && dataset.value === 'files' ? current.classNames.length : undefined;
    const problems = current ? [...checkModelFits(current.spec, undefined, classCount), ...checkHyperparameters(config)] : checkTrainConfig(config);
    replaceChildren(formProblems, ...problems.map((p) => h('li', {}, p)));
    formProblems.hidden = problems.length === 0;
    if (problems.length === 0) void trainer.start(config, dataset.value as DatasetChoice, continueFrom.checked);
  });
  pause.addEventListener('click', () => (trainer.status === 'paused' ? trainer.resume() : trainer.pause()));
  stop.addEventListener('click', () => trainer.stop());

  const saveLabel = app.host === 'electron' ? 'Save checkpoint…' : 'Download checkpoint';
  const loadLabel = app.host === 'electron' ? 'Open checkpoint…' : 'Upload checkpoint…';
  const save = h('button', { class: 'ghost', 'data-testid': 'save-checkpoint' }, saveLabel);
  const load = h('button', { class: 'ghost', 'data-testid': 'load-checkpoint' }, loadLabel);
  const exportOnnxButton = h('button', { class: 'ghost', 'data-testid': 'export-onnx' }, app.host === 'electron' ? 'Export ONNX…' : 'Export ONNX');
  const checkpointStatus = h('p', { class: 'hint', 'data-testid': 'checkpoint-status' });
  save.addEventListener('click', async () => {
    const model = app.model;
    if (!model) return;
    try {
      const saved = await app.bridge.saveCheckpoint({ suggestedName: suggestCheckpointName(model), bytes: encodeSnapshot(model) });
      if (saved) checkpointStatus.textContent = `Saved ${saved.name}`;
    } catch (error) {
      checkpointStatus.textContent = `Could not save: ${describeFailure(error)}`;
    }
  });
  exportOnnxButton.addEventListener('click', async () => {
    const model = app.model;
    if (!model) return;
    try {
      const name = suggestCheckpointName(model).replace(/\.safetensors$/, '.onnx');
      const saved = await app.bridge.saveCheckpoint({ suggestedName: name, bytes: exportSnapshotOnnx(model) });
      if (saved) checkpointStatus.textContent = `Exported ${saved.name}`;
    } catch (error) {
      checkpointStatus.textContent = `Could not export: ${(error as Error).message}`;
    }
  });
  load.addEventListener('click', async () => {
    try {
      const file = await app.bridge.openCheckpoint();
      if (!file) return;
      const snapshot = decodeSnapshot(file.bytes);
      app.setModel(snapshot, file.name);
      // The run's own settings (the CLI's or this app's), so "continue" picks up exactly where it stopped.
      const recorded = snapshot.training?.hyperparameters;
      if (recorded?.arch) fillForm(configFromSettings(recorded), `Settings of the run that made ${file.name}.`);
      checkpointStatus.textContent = `Loaded ${file.name}: ${describeArchitecture(snapshot.spec)}, ${count(parameterCount(snapshot))} parameters`;
    } catch (error) {
      checkpointStatus.textContent = `Could not load: ${describeFailure(error)}`;
    }
  });

  const lossChart = new MetricChart(
    'Loss',
    [
      { label: 'train', color: '#6ea8fe' },
      { label: 'validation', color: '#ffb86b', sparse: true },
    ],
    (v) => v.toFixed(2),
    'loss-chart',
  );
  const accuracyChart = new MetricChart(
    'Accuracy',
    [
      { label: 'train', color: '#6ea8fe', sparse: true },
      { label: 'validation', color: '#7ee2a8', sparse: true },
    ],
    (v) => `${(v * 100).toFixed(0)}%`,
    'accuracy-chart',
  );

  const stat = (label: string, testId: string) => {
    const value = h('span', { class: 'stat-value', 'data-testid': testId }, '–');
    const note = h('span', { class: 'stat-note' });
    return { value, note, element: h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, label), value, note) };
  };
  const epochStat = stat('Epoch', 'stat-epoch');
  const speedStat = stat('Samples/s', 'stat-speed');
  const etaStat = stat('Time left', 'stat-eta');
  const accuracyStat = stat('Validation accuracy', 'stat-accuracy');
  const paramsStat = stat('Parameters', 'stat-parameters');
  const status = h('div', { class: 'train-status', 'data-testid': 'train-status', 'data-status': 'idle' });
  const progressBar = h('div', { class: 'progress-fill' });

  function render(): void {
    const busy = trainer.busy;
    start.disabled = busy;
    pause.disabled = !(trainer.status === 'running' || trainer.status === 'paused');
    pause.textContent = trainer.status === 'paused' ? 'Resume' : 'Pause';
    stop.disabled = pause.disabled;
    save.disabled = !app.model;
    continueFrom.disabled = !app.model;
    status.setAttribute('data-status', trainer.status);
    status.textContent = trainer.message || 'Pick a data set and a network, then start training.';
    status.className = `train-status ${trainer.status}`;
    const p = trainer.progress;
    epochStat.value.textContent = p ? `${Math.min(p.epochs, Math.floor(p.epoch) + (trainer.busy ? 1 : 0))} / ${p.epochs}` : '–';
    speedStat.value.textContent = p?.samplesPerSecond ? count(p.samplesPerSecond) : '–';
    etaStat.value.textContent = p ? (trainer.busy ? duration(p.etaSeconds) : 'done') : '–';
    accuracyStat.value.textContent = p ? percent(p.lastValidationAccuracy) : '–';
    accuracyStat.value.setAttribute('data-value', String(p?.lastValidationAccuracy ?? ''));
    accuracyStat.value.setAttribute('data-baseline', String(p?.baselineValidationAccuracy ?? ''));
    accuracyStat.note.textContent = p ? `${percent(p.baselineValidationAccuracy)} before training` : '';
    paramsStat.value.textContent = p ? count(p.parameterCount) : '–';
    paramsStat.note.textContent = p ? `${p.backend === 'wasm' ? 'WebAssembly SIMD' : 'TypeScript'} kernels` : '';
    progressBar.style.width = p?.totalSteps ? `${((p.step / p.totalSteps) * 100).toFixed(1)}%` : '0%';
    const hist = trainer.history;
    lossChart.setData(hist.x, hist.trainLoss, hist.validationLoss);
    accuracyChart.setData(hist.x, hist.trainAccuracy, hist.validationAccuracy);
    const lastLoss = hist.validationLoss.filter((v) => v !== null).at(-1);
    lossChart.element.title = lastLoss != null ? `last validation loss ${loss(lastLoss)}` : '';
  }
  trainer.onChange(render);
  app.onModelChange(render);
  render();

  const modelInfo = h('p', { class: 'hint', 'data-testid': 'current-model' });
  const renderModel = () => {
    const m = app.model;
    replaceChildren(modelInfo, m ? `Current model: ${describeArchitecture(m.spec)} (${count(parameterCount(m))} parameters) — ${app.modelOrigin}` : 'No model yet.');
  };
  app.onModelChange(renderModel);
  renderModel();

  return h(
    'section',
    { class: 'view train-view', 'data-view': 'train' },
    h(
      'div',
      { class: 'train-layout' },
      h(
        'form',
        { class: 'card settings', onsubmit: (e: Event) => e.preventDefault() },
        h('h2', {}, 'Data and network'),
        field('Data set', dataset),
        field('Preset', preset),
        presetNote,
        h('div', { class: 'grid-2' }, field('Layers', architecture, 'input-hidden…-output, or 1x28x28-conv(6,5,pad=2)-relu-maxpool(2)-flatten-…-10'), field('Activations', activations, 'relu, or relu,selu,tanh')),
        h('div', { class: 'grid-2' }, field('Optimizer', optimizer), field('Learning rate', learningRate)),
        h('div', { class: 'grid-3' }, field('Batch size', batchSize), field('Epochs', epochs), field('Dropout', dropout)),
        h('div', { class: 'grid-2' }, field('Seed', seed), h('label', { class: 'check' }, continueFrom, 'Continue from the current model (keeps its layers; resumes exactly with the same optimizer, seed and batch size)')),
        formProblems,
        h('div', { class: 'actions' }, start, pause, stop),
        h('h2', {}, 'Checkpoints'),
        modelInfo,
        h('div', { class: 'actions' }, save, exportOnnxButton, load),
        checkpointStatus,
      ),
      h(
        'div',
        { class: 'card live' },
        h('h2', {}, 'Live training'),
        status,
        h('div', { class: 'progress' }, progressBar),
        h('div', { class: 'stats' }, epochStat.element, accuracyStat.element, speedStat.element, etaStat.element, paramsStat.element),
        h('div', { class: 'charts' }, lossChart.element, accuracyChart.element),
      ),
    ),
  );
}

import { describeFailure } from '../../../shared/error-envelope.js';
import type { AppState } from '../app-state.js';
import { decodeSnapshot, encodeSnapshot, exportSnapshotOnnx, suggestCheckpointName } from '../model/checkpoint-codec.js';
import { describeArchitecture, parameterCount } from '../model/model-snapshot.js';
import { append, h, replaceChildren } from '../ui/dom.js';
import { count, duration, loss, percent } from '../ui/format.js';
import { MetricChart } from './metric-chart.js';
import { configFromSettings } from './run-settings.js';
import { createRunSettingsForm } from './run-settings-form.js';
import type { TrainController } from './train-controller.js';

/** The Train screen: every training option of the CLI (run-settings-form.ts), run controls, live charts, checkpoints. */
export function createTrainView(app: AppState, trainer: TrainController): HTMLElement {
  const settings = createRunSettingsForm(app);

  const start = h('button', { class: 'primary', 'data-testid': 'start' }, 'Start training');
  const pause = h('button', { class: 'ghost', 'data-testid': 'pause' }, 'Pause');
  const stop = h('button', { class: 'ghost danger', 'data-testid': 'stop' }, 'Stop');
  start.addEventListener('click', () => {
    const run = settings.read();
    if (run.problems.length === 0) void trainer.start(run.config, run.dataset, run.continueFromCurrent, run.threads);
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
      if (recorded?.arch) settings.fill(configFromSettings(recorded), `Settings of the run that made ${file.name}.`);
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
    const fewer = p && p.threads < p.requestedThreads ? ` (${p.requestedThreads} asked: the thread pool could not start)` : '';
    paramsStat.note.textContent = p ? `${p.backend === 'wasm' ? 'WebAssembly SIMD' : 'TypeScript'} kernels, ${p.threads} thread${p.threads === 1 ? '' : 's'}${fewer}` : '';
    paramsStat.note.setAttribute('data-threads', String(p?.threads ?? ''));
    speedStat.value.setAttribute('data-mean', String(p?.meanSamplesPerSecond ?? ''));
    if (p && !trainer.busy && p.meanSamplesPerSecond) speedStat.note.textContent = `${count(p.meanSamplesPerSecond)} over the run`;
    else speedStat.note.textContent = '';
    progressBar.style.transform = `scaleX(${p?.totalSteps ? (p.step / p.totalSteps).toFixed(3) : 0})`;
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
      withChildren(
        settings.form,
        settings.problems,
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

/** `parent` with `children` appended (the form is made first: its input listeners check every field). */
function withChildren<T extends HTMLElement>(parent: T, ...children: Parameters<typeof append>[1]): T {
  append(parent, children);
  return parent;
}

import type { AppState } from '../app-state.js';
import type { TrainController } from '../train/train-controller.js';
import { h } from '../ui/dom.js';
import { percent } from '../ui/format.js';
import { digitSetBytes, FINE_TUNE } from './fine-tune-data.js';
import type { FineTuner } from './fine-tuner.js';
import type { HandwritingSet } from './handwriting-set.js';

/**
 * The fine-tune card: the button (or why it cannot run yet), progress, and accuracy on the
 * held-out drawings before and after, as text and as `data-before` / `data-after` (0–1).
 */
export function createFineTunePanel(app: AppState, trainer: TrainController, tuner: FineTuner, set: HandwritingSet): HTMLElement {
  const start = h('button', { class: 'primary', 'data-testid': 'fine-tune' }, 'Fine-tune on my drawings');
  const stop = h('button', { class: 'ghost', 'data-testid': 'fine-tune-stop', hidden: true }, 'Stop');
  start.addEventListener('click', () => void tuner.start(set));
  stop.addEventListener('click', () => tuner.stop());
  const before = h('div', { class: 'stat-value', 'data-testid': 'accuracy-before' }, '–');
  const after = h('div', { class: 'stat-value', 'data-testid': 'accuracy-after' }, '–');
  const status = h('div', { class: 'train-status', 'data-testid': 'fine-tune-status', 'data-status': 'idle' });
  const progressFill = h('div', { class: 'progress-fill' });
  const progress = h('div', { class: 'progress', role: 'progressbar', 'aria-label': 'Fine-tuning progress', 'aria-valuemin': '0', 'aria-valuemax': '100', 'data-testid': 'fine-tune-progress' }, progressFill);
  const current = h('p', { class: 'hint', 'data-testid': 'current-accuracy' });
  const panel = h(
    'div',
    { class: 'card fine-tune-card', 'data-testid': 'fine-tune-panel' },
    h('h2', {}, 'Fine-tune'),
    h(
      'p',
      { class: 'hint' },
      `Trains the current model for ${FINE_TUNE.epochs} epochs on your training drawings mixed with ${FINE_TUNE.baseDigits.toLocaleString('en-US')} offline digits, each seen with small random tilts, shifts and size changes, in the background. Your held-out drawings measure it before and after.`,
    ),
    h('div', { class: 'actions' }, start, stop),
    h(
      'div',
      { class: 'teach-results' },
      h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, 'Before, on your held-out drawings'), before),
      h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, 'After'), after),
    ),
    progress,
    status,
    current,
  );

  /**
   * How the current model reads the held-out drawings right now, evaluated in the worker whenever
   * the model or the drawings change (the latest request wins), so a model's accuracy on your
   * handwriting is visible before any fine-tuning.
   */
  let evaluation = 0;
  function evaluateCurrent(): void {
    const model = app.model;
    const heldOut = set.toSplits().heldOut;
    const ticket = ++evaluation;
    if (!model || heldOut.count === 0 || tuner.blocker(set)?.startsWith('The current model')) {
      current.textContent = '';
      current.removeAttribute('data-accuracy');
      return;
    }
    app.training.evaluate(model, digitSetBytes(heldOut, 'your held-out drawings')).then(
      (result) => {
        if (ticket !== evaluation) return;
        const right = Math.round(result.accuracy * heldOut.count);
        current.textContent = `The current model reads ${right} of your ${heldOut.count} held-out drawings (${percent(result.accuracy)}).`;
        current.setAttribute('data-accuracy', String(result.accuracy));
      },
      () => {
        if (ticket === evaluation) current.textContent = '';
      },
    );
  }
  let pending = 0;
  const scheduleEvaluation = () => {
    clearTimeout(pending);
    pending = window.setTimeout(evaluateCurrent, 150);
  };
  app.onModelChange(scheduleEvaluation);
  set.onChange(scheduleEvaluation);

  function render(): void {
    const s = tuner.state;
    const blocker = tuner.busy ? null : trainer.busy ? 'A training run is in progress on the Train screen.' : tuner.blocker(set);
    start.disabled = tuner.busy || blocker !== null;
    stop.hidden = !tuner.busy;
    before.textContent = percent(s.before);
    after.textContent = percent(s.after);
    const fraction = (value: number | null) => (value === null ? '' : String(value));
    panel.setAttribute('data-before', fraction(s.before));
    panel.setAttribute('data-after', fraction(s.after));
    panel.setAttribute('data-held-out', String(s.heldOutCount));
    const percentDone = Math.round(s.progress * 100);
    progressFill.style.width = `${percentDone}%`;
    progress.setAttribute('aria-valuenow', String(percentDone));
    status.className = `train-status ${s.status === 'done' ? 'finished' : s.status}`;
    status.setAttribute('data-status', s.status);
    const counts = s.before !== null && s.heldOutCount ? ` (${Math.round(s.before * s.heldOutCount)} of ${s.heldOutCount} before${s.after !== null ? `, ${Math.round(s.after * s.heldOutCount)} after` : ''})` : '';
    status.textContent = s.status === 'idle' || (blocker && s.status !== 'running') ? (blocker ?? 'Ready.') : `${s.message}${counts}`;
  }
  tuner.onChange(render);
  trainer.onChange(render);
  app.onModelChange(render);
  set.onChange(render);
  render();
  return panel;
}

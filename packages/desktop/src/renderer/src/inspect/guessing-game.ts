import type { AppState } from '../app-state.js';
import { h, replaceChildren } from '../ui/dom.js';
import { typingInField } from '../ui/shortcuts.js';
import { exampleImage, imageCanvas } from '../ui/image-canvas.js';

/**
 * Human versus machine, as in one of the seed projects: a random test image is shown, you guess
 * its class, then see the model's guess and the truth; both scores are kept.
 */
export function createGuessingGame(app: AppState): HTMLElement {
  let human = 0;
  let machine = 0;
  let rounds = 0;
  let current = -1;
  let answered = false;
  const image = h('div', { class: 'game-image', 'data-testid': 'game-image' });
  const choices = h('div', { class: 'game-choices' });
  const result = h('div', { class: 'game-result', 'data-testid': 'game-result', 'aria-live': 'polite' }, 'Press “New image” (N) to play, then answer with a digit key (0–9).');
  const score = h('div', { class: 'game-score', 'data-testid': 'game-score' });
  const next = h('button', { class: 'primary', 'data-testid': 'game-next' }, 'New image');
  next.addEventListener('click', newRound);
  const element = h('div', { class: 'card game', 'data-testid': 'game' });
  // Keyboard play while the game is on screen: 0–9 answer (the n-th class), N deals a new image.
  document.addEventListener('keydown', (event) => {
    if (element.closest('[hidden]') !== null || !element.isConnected || typingInField(event) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector('dialog[open]')) return;
    if (/^[0-9]$/.test(event.key) && current >= 0 && !answered) {
      const c = Number(event.key);
      if (c < (app.dataset?.classNames.length ?? 0)) {
        event.preventDefault();
        answer(c);
      }
    } else if (event.key.toLowerCase() === 'n') {
      event.preventDefault();
      newRound();
    }
  });

  function renderScore(): void {
    replaceChildren(
      score,
      h('span', { class: 'score you' }, `You ${human}`),
      h('span', { class: 'score vs' }, `of ${rounds}`),
      h('span', { class: 'score model' }, `Model ${machine}`),
    );
  }

  function newRound(): void {
    const data = app.dataset?.test;
    if (!data || !app.predictor) {
      result.textContent = 'Train or load a model first (the game uses its test set).';
      return;
    }
    current = Math.floor(Math.random() * data.count);
    answered = false;
    replaceChildren(image, imageCanvas(exampleImage(data, current), data.rows, data.cols, 255, 'game-canvas'));
    result.textContent = 'What is it?';
    const names = app.dataset?.classNames ?? [];
    replaceChildren(
      choices,
      ...names.map((name, c) => {
        const button = h('button', { class: 'choice', 'data-testid': `game-choice-${c}`, title: c < 10 ? `Key ${c}` : name }, name);
        button.addEventListener('click', () => answer(c));
        return button;
      }),
    );
  }

  function answer(guess: number): void {
    const data = app.dataset?.test;
    const predictor = app.predictor;
    if (answered || !data || !predictor || current < 0) return;
    answered = true;
    const truth = data.labels[current];
    const input = Float32Array.from(exampleImage(data, current), (v) => v / 255);
    const probabilities = predictor.predict(input);
    let model = 0;
    for (let c = 1; c < probabilities.length; c++) if (probabilities[c] > probabilities[model]) model = c;
    rounds++;
    if (guess === truth) human++;
    if (model === truth) machine++;
    const names = app.dataset?.classNames ?? [];
    result.textContent = `It is ${names[truth]}. You said ${names[guess]} ${guess === truth ? '✓' : '✗'} · the model said ${names[model]} ${model === truth ? '✓' : '✗'}`;
    for (const button of choices.querySelectorAll('button')) {
      const c = Number(button.getAttribute('data-testid')?.split('-').at(-1));
      button.classList.toggle('truth', c === truth);
      button.classList.toggle('wrong', c === guess && guess !== truth);
    }
    renderScore();
  }
  renderScore();

  element.append(
    h('h2', {}, 'You versus the model'),
    h('div', { class: 'game-layout' }, image, h('div', { class: 'game-side' }, result, choices, h('div', { class: 'actions' }, next), score)),
  );
  return element;
}

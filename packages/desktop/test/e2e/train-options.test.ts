import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_RUN_EPOCHS, parseLayerArchitecture, RUN_SETTING_RULES, runSettingFlag, summarizeModel } from '@scratchnet/core';
import { decodeModelFile } from '@scratchnet/model-format';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, hasChromium, openWebApp, saveScreenshot, text, type WebApp } from './web-page.js';

/**
 * Every training option of the CLI on the Train form of the web build, in chromium: each reaches
 * the trainer (the downloaded checkpoint's training record says so), a bad value is explained
 * under its own field in the CLI's words (core's rule, run here in Node for the expected text),
 * and the augmentation preview shows distorted copies of the data set's images.
 */
let app: WebApp;
let page: Page;

const status = () => page.getByTestId('train-status').getAttribute('data-status');

/** Downloads the current model as a checkpoint and decodes it in Node with model-format. */
async function downloadCheckpoint(name: string) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-checkpoint').click()]);
  const file = join(artifacts, `${name}.safetensors`);
  await download.saveAs(file);
  return decodeModelFile(new Uint8Array(readFileSync(file)));
}

/** The message core's rule gives for `value` as the CLI flag of `key` (what the CLI would print). */
function cliMessage(key: keyof typeof RUN_SETTING_RULES, value: string): string {
  try {
    RUN_SETTING_RULES[key](value, runSettingFlag(key));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`core accepts ${key} = ${value}`);
}

describe.skipIf(!hasChromium)('every training option on the Train form, in chromium', () => {
  beforeAll(async () => {
    app = await openWebApp();
    page = app.page;
    await page.getByTestId('tab-train').click();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('offers every data set of the catalog and every loss', async () => {
    const datasets = await page.getByTestId('dataset-select').locator('option').allTextContents();
    expect(datasets.join('\n')).toMatch(/Offline digits/);
    expect(datasets.join('\n')).toMatch(/MNIST/);
    expect(datasets.join('\n')).toMatch(/Fashion-MNIST/);
    expect(await page.getByTestId('loss').locator('option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value))).toEqual(['ce', 'mse', 'bce']);
  });

  it('explains a bad value under its own field, in the CLI’s words, and does not start', async () => {
    await page.getByTestId('preset-select').selectOption('quick');
    const cases: Array<[string, string, string, string]> = [
      ['learning-rate', 'learningRate', '0', cliMessage('lr', '0')],
      ['batch-size', 'batchSize', '2.5', cliMessage('batchSize', '2.5')],
      ['epochs', 'epochs', String(MAX_RUN_EPOCHS + 1), cliMessage('epochs', String(MAX_RUN_EPOCHS + 1))],
      ['weight-decay', 'weightDecay', '-1', cliMessage('weightDecay', '-1')],
      ['early-stopping', 'earlyStopping', '0', cliMessage('earlyStopping', '0')],
      ['val-split', 'valSplit', '1', cliMessage('valSplit', '1')],
      ['train-limit', 'trainLimit', 'all', cliMessage('trainLimit', 'all')],
      ['schedule', 'schedule', 'cosin', cliMessage('schedule', 'cosin')],
      ['dropout', 'dropout', '1', cliMessage('dropout', '1')],
      ['seed', 'seed', '-3', cliMessage('seed', '-3')],
    ];
    const pointsBefore = await page.getByTestId('loss-chart').getAttribute('data-points');
    for (const [testId, field, value, message] of cases) {
      await page.getByTestId(testId).fill(value);
      const problem = page.getByTestId(`problem-${field}`);
      await expect.poll(() => problem.isVisible(), { message: field }).toBe(true);
      expect(await text(problem), field).toBe(message);
      expect(await page.getByTestId(testId).getAttribute('aria-invalid')).toBe('true');
    }
    // Cross-field: momentum with Adam, as the CLI refuses `--momentum 0.9 --optimizer adam`.
    await page.getByTestId('momentum').fill('0.9');
    await expect.poll(() => text(page.getByTestId('problem-momentum'))).toMatch(/^--momentum applies to --optimizer sgd or momentum, not adam/);
    await page.getByTestId('augment').check();
    await page.getByTestId('augment-spec').fill('rotat=10');
    await expect.poll(() => text(page.getByTestId('problem-augment'))).toBe(cliMessage('augment', 'rotat=10'));
    await page.getByTestId('architecture').fill('784-abc-10');
    await expect.poll(() => text(page.getByTestId('problem-architecture'))).toMatch(/abc/);
    await page.getByTestId('threads').fill('99');
    await expect.poll(() => text(page.getByTestId('problem-threads'))).toMatch(/^--threads: 99 is more than the \d+ allowed; try --threads \d$/);
    await saveScreenshot(page, 'train-form-problems', true);

    await page.getByTestId('start').click();
    expect(await page.getByTestId('config-problems').locator('li').count()).toBe(cases.length + 4);
    await page.waitForTimeout(300);
    expect(await page.getByTestId('loss-chart').getAttribute('data-points')).toBe(pointsBefore); // nothing started
    // Fixing a field clears its message at once.
    await page.getByTestId('learning-rate').fill('0.01');
    await expect.poll(() => page.getByTestId('problem-learningRate').isVisible()).toBe(false);
    await page.getByTestId('preset-select').selectOption('quick'); // a preset refills every field
    await page.getByTestId('threads').fill('1');
    await page.getByTestId('augment').uncheck();
    await expect.poll(() => page.locator('.field-problem:not([hidden])').count()).toBe(0);
    expect(await page.getByTestId('config-problems').isVisible()).toBe(false); // the list under the form follows
  });

  it('shows the layers core parses from any --arch text, with the same parameter count', async () => {
    const arch = '1x28x28-conv(4,5,stride=2)-relu-maxpool(2)-flatten-32-relu-10';
    await page.getByTestId('architecture').fill(arch);
    const summary = summarizeModel(parseLayerArchitecture(arch));
    await expect.poll(() => page.getByTestId('arch-summary-row').count()).toBe(summary.length);
    expect(Number(await page.getByTestId('arch-summary-total').getAttribute('data-value'))).toBe(summary.reduce((n, l) => n + l.parameterCount, 0));
    expect(await page.getByTestId('activations').isDisabled()).toBe(true); // the layers name their own
  });

  it('previews augmented samples from the data set: each differs from its original, and another roll draws others', async () => {
    await page.getByTestId('augment').check();
    await page.getByTestId('augment-spec').fill('rotate=20,shift=3,scale=0.15,elastic');
    const preview = page.getByTestId('augment-preview');
    await expect.poll(() => preview.getAttribute('data-roll')).toBe('1');
    const pixels = (row: string) =>
      page.getByTestId(row).locator('canvas').evaluateAll((canvases) =>
        canvases.map((c) => {
          const canvas = c as HTMLCanvasElement;
          return Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data.filter((_, i) => i % 4 === 0));
        }),
      );
    const originals = await pixels('augment-originals');
    const augmented = await pixels('augment-samples');
    expect(originals).toHaveLength(8);
    expect(augmented).toHaveLength(8);
    for (let i = 0; i < 8; i++) {
      expect(originals[i].reduce((a, b) => a + b, 0), `original ${i} has ink`).toBeGreaterThan(0);
      const changed = originals[i].filter((v, p) => Math.abs(v - augmented[i][p]) > 8).length;
      expect(changed, `sample ${i}`).toBeGreaterThan(20);
    }
    await preview.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await saveScreenshot(page, 'augment-preview');
    await page.getByTestId('augment-reroll').click();
    await expect.poll(() => preview.getAttribute('data-roll')).toBe('2');
    expect(await pixels('augment-originals')).not.toEqual(originals);
  });

  it('passes every option to the trainer: the checkpoint’s training record holds them', async () => {
    await page.getByTestId('dataset-select').selectOption('offline-digits');
    await page.getByTestId('preset-select').selectOption('quick');
    await page.getByTestId('architecture').fill('784-32-10');
    await page.getByTestId('activations').fill('tanh');
    await page.getByTestId('optimizer').selectOption('momentum');
    await page.getByTestId('learning-rate').fill('0.05');
    await page.getByTestId('momentum').fill('0.8');
    await page.getByTestId('weight-decay').fill('0.0005');
    await page.getByTestId('loss').selectOption('mse');
    await page.getByTestId('schedule').fill('step:1:0.5');
    await page.getByTestId('epochs').fill('2');
    await page.getByTestId('early-stopping').fill('3');
    await page.getByTestId('val-split').fill('0.2');
    await page.getByTestId('train-limit').fill('1000');
    await page.getByTestId('seed').fill('7');
    await page.getByTestId('augment').check();
    await page.getByTestId('augment-spec').fill('rotate=8,shift=1');
    await page.getByTestId('start').click();
    await expect.poll(status, { timeout: 120_000 }).toBe('finished');

    const checkpoint = await downloadCheckpoint('all-options');
    const record = checkpoint.training!;
    expect(record.hyperparameters).toMatchObject({
      arch: '784-32-10',
      activations: 'tanh',
      optimizer: 'momentum',
      lr: 0.05,
      momentum: 0.8,
      weightDecay: 0.0005,
      loss: 'mse',
      schedule: 'step:1:0.5',
      epochs: 2,
      earlyStopping: 3,
      valSplit: 0.2,
      trainLimit: 1000,
      seed: 7,
      augment: 'rotate=8,shift=1',
    });
    expect(record.dataset.validation).toBe(1600); // 20% of the 8,000 offline training digits
    expect(record.history).toHaveLength(2);
    // The schedule reached the optimizer: step:1:0.5 halves the rate after the first epoch.
    expect(record.history.map((row) => row.learningRate)).toEqual([0.05, 0.025]);
    // MSE gives the model a sigmoid output, as the CLI builds it; tanh is the hidden activation.
    const kinds = (checkpoint.spec as { layers: Array<{ type: string; activation?: string }> }).layers.map((l) => l.activation ?? l.type);
    expect(kinds.join(',')).toMatch(/tanh.*sigmoid/);
    // --train-limit: 1,000 of the 3,200 training images per epoch (the trainer state counts the data it shuffles).
    expect(checkpoint.trainer?.datasetSize).toBe(1000);
  });
});

import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, drawStroke, hasChromium, longestFrameGap, ONE, openWebApp, saveScreenshot, text, type WebApp, ZERO } from './web-page.js';

/**
 * A convolutional network end to end in the web build: LeNet-5 (core's layout) trained in the
 * worker on the offline digits, drawing with live predictions, its filters and the feature maps
 * of the drawing, Inspect, continuing the run, and a checkpoint download and upload.
 */
let app: WebApp;
let page: Page;

const status = () => page.getByTestId('train-status').getAttribute('data-status');
const signature = () => page.getByTestId('feature-maps').getAttribute('data-signature');
const probabilities = () => text(page.getByTestId('probability-bars'));

/** Milliseconds of the last preprocess + predict, as the Draw screen reports it. */
async function predictMs(): Promise<number> {
  return Number((await text(page.getByTestId('predict-timing'))).match(/([\d.]+) ms/)![1]);
}

describe.skipIf(!hasChromium)('a CNN in the web app, in chromium', () => {
  beforeAll(async () => {
    app = await openWebApp();
    page = app.page;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('trains LeNet-5 for one epoch on the offline digits in the worker', async () => {
    await page.getByTestId('tab-train').click();
    await page.getByTestId('dataset-select').selectOption('offline-digits');
    await page.getByTestId('preset-select').selectOption('lenet5');
    expect(await page.getByTestId('architecture').inputValue()).toMatch(/^1x28x28-conv\(6,5,pad=2\)/);
    expect(await page.getByTestId('activations').isDisabled()).toBe(true); // the layers name their own
    await page.getByTestId('epochs').fill('1');
    const clicked = Date.now();
    await page.getByTestId('start').click();
    await expect.poll(status, { timeout: 120_000 }).toBe('finished');
    const accuracy = page.getByTestId('stat-accuracy');
    const baseline = Number(await accuracy.getAttribute('data-baseline'));
    const final = Number(await accuracy.getAttribute('data-value'));
    console.log(
      `one epoch of lenet5 in the worker: ${((Date.now() - clicked) / 1000).toFixed(1)} s, validation accuracy ${(baseline * 100).toFixed(1)}% → ${(final * 100).toFixed(1)}%, ${await text(page.getByTestId('stat-speed'))} samples/s`,
    );
    expect(baseline).toBeLessThan(0.3);
    expect(final).toBeGreaterThan(0.8);
    expect(await text(page.getByTestId('stat-parameters'))).toBe('61,706');
    expect(await text(page.getByTestId('current-model'))).toContain('lenet5 (61,706 parameters)');
  });

  it('predicts a drawn digit within a frame', async () => {
    await page.getByTestId('tab-draw').click();
    expect(await text(page.getByTestId('model-status'))).toMatch(/Model ready\s*lenet5 · trained here/);
    await drawStroke(page, ZERO);
    await expect.poll(() => text(page.getByTestId('top-guess'))).toBe('0');
    expect(await predictMs()).toBeLessThan(16); // within one frame at 60 Hz, as for the MLPs
  });

  it('shows the first convolution: one image per filter, and feature maps that follow the drawing', async () => {
    const button = page.getByTestId('show-filters');
    expect(await button.isVisible()).toBe(true);
    await button.click();
    const view = page.getByTestId('conv-view');
    await expect.poll(() => view.isVisible()).toBe(true);
    expect(await text(page.getByTestId('conv-layer'))).toContain('Conv2d(1, 6, kernel_size=(5, 5)');
    const filters = page.getByTestId('conv-filters').locator('canvas');
    expect(await filters.count()).toBe(6);
    expect(await filters.first().evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([5, 5]);
    // Distinct colours in each filter image (runs in the page): one colour would mean nothing was painted.
    const colours = await filters.evaluateAll((canvases) =>
      canvases.map((canvas) => {
        const c = canvas as HTMLCanvasElement;
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set<number>();
        for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        return seen.size;
      }),
    );
    for (const n of colours) expect(n).toBeGreaterThan(3);
    expect(await page.getByTestId('feature-maps').locator('canvas').count()).toBe(6);
    expect(await page.getByTestId('activated-maps').locator('canvas').count()).toBe(6);
    expect(await page.getByTestId('feature-maps').locator('canvas').first().evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([28, 28]);
    await expect.poll(signature).not.toBe('');
    const ofZero = await signature();

    // Another drawing, other maps — while the stroke goes on, animation frames keep coming.
    await page.getByTestId('clear').click();
    await expect.poll(signature).not.toBe(ofZero);
    const blank = await signature();
    await page.evaluate(() => {
      const w = window as unknown as { worstGap: number; measuring: boolean };
      w.worstGap = 0;
      w.measuring = true;
      let last = performance.now();
      const tick = (now: number) => {
        w.worstGap = Math.max(w.worstGap, now - last);
        last = now;
        if (w.measuring) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await drawStroke(page, ONE);
    await expect.poll(() => text(page.getByTestId('top-guess'))).toMatch(/^\d$/);
    await expect.poll(signature).not.toBe(blank);
    const worstGap = await page.evaluate(() => {
      const w = window as unknown as { worstGap: number; measuring: boolean };
      w.measuring = false;
      return w.worstGap;
    });
    console.log(`longest frame gap while drawing with the feature maps open: ${worstGap.toFixed(1)} ms; preprocess + predict ${await predictMs()} ms`);
    expect(worstGap).toBeLessThan(400); // the same loose bound as the MLP suite (2 shared cores)
    expect(await predictMs()).toBeLessThan(16);
    expect(await signature()).not.toBe(ofZero);
    const updates = Number(await page.getByTestId('feature-maps').getAttribute('data-updates'));

    // Back to a zero for the picture; the maps follow once more.
    await page.getByTestId('clear').click();
    await drawStroke(page, ZERO);
    await expect.poll(() => page.getByTestId('feature-maps').getAttribute('data-updates').then(Number)).toBeGreaterThan(updates);
    await expect.poll(signature).toBe(ofZero);
    await saveScreenshot(page, 'filters', true);
  });

  it('inspects it: the test set evaluated, the model layer by layer', async () => {
    await page.getByTestId('tab-inspect').click();
    await page.getByTestId('evaluate').click();
    await expect.poll(() => page.getByTestId('inspect-summary').getAttribute('data-accuracy'), { timeout: 60_000 }).not.toBeNull();
    expect(Number(await page.getByTestId('inspect-summary').getAttribute('data-accuracy'))).toBeGreaterThan(0.8);
    expect(await page.locator('[data-testid^="cell-"]').count()).toBe(100);
    const table = page.getByTestId('model-summary');
    expect(await table.locator('tbody tr').count()).toBe(13); // the input and 12 layers
    expect(await text(table)).toContain('Conv2d(6, 16, kernel_size=(5, 5)');
    expect(await text(table)).toContain('[16, 5, 5]');
    expect(await text(page.getByTestId('model-parameters'))).toBe('61,706');
  });

  it('continues the run where it stopped; drawing with the feature maps stays smooth meanwhile', async () => {
    await page.getByTestId('tab-train').click();
    await page.getByTestId('epochs').fill('5');
    await page.getByTestId('continue').check();
    await page.getByTestId('start').click();
    expect(await page.getByTestId('config-problems').isVisible()).toBe(false);
    await expect.poll(status, { timeout: 30_000 }).toBe('running');

    // While the worker trains: the longest gap between animation frames over 60 frames, and a stroke.
    await page.getByTestId('tab-draw').click();
    await page.waitForTimeout(300); // past the tab switch's own layout
    const worstFrameGap = await longestFrameGap(page);
    await page.getByTestId('clear').click();
    const before = await signature();
    await drawStroke(page, ONE);
    await expect.poll(signature).not.toBe(before);
    const training = await status();
    console.log(`while lenet5 trains (${training}): longest frame gap ${worstFrameGap.toFixed(1)} ms, preprocess + predict ${await predictMs()} ms`);
    expect(worstFrameGap).toBeLessThan(400); // the MLP suite's bound
    expect(await predictMs()).toBeLessThan(33);

    await page.getByTestId('tab-train').click();
    await expect.poll(status, { timeout: 120_000 }).toBe('finished');
    expect(await text(page.getByTestId('stat-epoch'))).toBe('5 / 5');
    expect(await page.getByTestId('accuracy-chart').getAttribute('data-points').then(Number)).toBeGreaterThanOrEqual(10);
    expect(Number(await page.getByTestId('stat-accuracy').getAttribute('data-value'))).toBeGreaterThan(0.9);
    await page.getByTestId('continue').uncheck();
  });

  it('saves a checkpoint and loads it into a fresh page: same probabilities, filters back', async () => {
    await page.getByTestId('tab-draw').click();
    await page.getByTestId('clear').click();
    await drawStroke(page, ZERO);
    await expect.poll(() => text(page.getByTestId('top-guess'))).toMatch(/^\d$/);
    const before = await probabilities();
    await page.getByTestId('tab-train').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-checkpoint').click()]);
    expect(download.suggestedFilename()).toBe('offline-digits-lenet5.safetensors');
    const saved = join(artifacts, download.suggestedFilename());
    await download.saveAs(saved);

    await page.reload();
    await page.getByTestId('tab-train').click();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('load-checkpoint').click()]);
    await chooser.setFiles(saved);
    await expect.poll(() => text(page.getByTestId('checkpoint-status'))).toContain('Loaded offline-digits-lenet5.safetensors: lenet5, 61,706 parameters');
    await page.getByTestId('tab-draw').click();
    await drawStroke(page, ZERO);
    await expect.poll(probabilities).toBe(before);
    await page.getByTestId('show-filters').click();
    expect(await page.getByTestId('conv-filters').locator('canvas').count()).toBe(6);
  });

  it('logged no script errors and no Content-Security-Policy violations', () => {
    expect(app.problems).toEqual([]);
  });
});

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Download, Page } from 'playwright-core';
import { parseIdx } from '@scratchnet/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../helpers/fixtures.js';
import { seriousViolations } from './network-page.js';
import { ONE_HAND, writeDigit } from './traced-digits.js';
import { artifacts, drawStroke, hasChromium, longestFrameGap, openWebApp, saveScreenshot, text, type WebApp } from './web-page.js';

/**
 * "Teach it your handwriting" in the web build, in Debian's chromium, as a user would do it:
 * 30 digits drawn with the mouse in one person's style, which the quick model misreads, labelled
 * with the keyboard (the first with a button), one deleted, then fine-tuning, with accuracy on
 * the held-out drawings before and after. The style is the Delphine handwriting font's
 * (test/fixtures/handwriting-delphine: 3 drawings of each digit made by
 * bench/drawings/fine-tune-gain.mjs, at random tilt, size and pen width): a 1 with a long flag,
 * a 7 with a crossbar, an open 4, a 9 on a straight stem. Each is traced into pen strokes
 * (traced-digits.ts) and drawn with the mouse.
 */
let app: WebApp;
let page: Page;

/**
 * The 30 drawings in the order a person would make them: the ten digits three times over, each
 * round in a different order (round r draws 3k + r mod 10 for k = 0…9: 0, 3, 6, 9, 2, 5, 8, 1, 4, 7,
 * then 1, 4, 7, …). The app holds out every 5th drawing, so the 6 held out are six different
 * digits (2 and 7, 3 and 8, 4 and 9), each with its other two drawings to learn from.
 */
const DRAWINGS = (() => {
  const folder = join(packageRoot, 'test', 'fixtures', 'handwriting-delphine');
  const images = parseIdx(readFileSync(join(folder, 'images-idx3-ubyte'))).data as Uint8Array;
  const labels = parseIdx(readFileSync(join(folder, 'labels-idx1-ubyte'))).data as Uint8Array;
  const drawings: Array<{ digit: number; strokes: ReturnType<typeof writeDigit> }> = [];
  for (let round = 0; round < 3; round++) {
    for (let k = 0; k < 10; k++) {
      const digit = (3 * k + round) % 10;
      // The fixture holds each digit's drawings together: the round-th one of this digit.
      const index = labels.findIndex((label, i) => label === digit && labels.slice(0, i).filter((l) => l === digit).length === round);
      drawings.push({ digit, strokes: writeDigit(images.subarray(index * 784, (index + 1) * 784), ONE_HAND) });
    }
  }
  return drawings;
})();

const tiles = (grid: string) => page.getByTestId(grid).locator('figure');
const savedCount = () => page.getByTestId('teach-storage').getAttribute('data-saved-count').then(Number);
const panel = () => page.getByTestId('fine-tune-panel');

describe.skipIf(!hasChromium)('teach it your handwriting, in chromium', () => {
  beforeAll(async () => {
    app = await openWebApp();
    page = app.page;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('draws 30 digits with the mouse, labels them by key, stores them, and deletes a bad one', async () => {
    await page.getByTestId('quick-train').click();
    await expect.poll(() => text(page.getByTestId('model-status')), { timeout: 90_000 }).toMatch(/Model ready/);
    await page.getByTestId('tab-teach').click();
    await expect.poll(savedCount).toBe(0);
    expect(await page.getByTestId('fine-tune').isDisabled()).toBe(true);

    for (const [i, { digit, strokes }] of DRAWINGS.entries()) {
      for (const stroke of strokes) await drawStroke(page, stroke, 'teach-canvas');
      if (i === 0) await page.getByTestId(`label-${digit}`).click(); // mouse users label with the buttons
      else await page.keyboard.press(String(digit));
      await expect.poll(() => page.locator('[data-testid^="drawing-"]').count()).toBe(i + 1);
    }
    // Every 5th drawing is held out: 24 to train on, 6 to test with, each with the label it was given.
    expect(await tiles('training-drawings').count()).toBe(24);
    expect(await tiles('held-out-drawings').count()).toBe(6);
    const heldOutLabels = await tiles('held-out-drawings').evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-label'))));
    expect(heldOutLabels).toEqual(DRAWINGS.filter((_, i) => i % 5 === 4).map((d) => d.digit));
    expect(heldOutLabels).toEqual([2, 7, 3, 8, 4, 9]);
    await expect.poll(savedCount).toBe(30);

    // A bad one goes: the first training drawing.
    const first = tiles('training-drawings').first();
    const id = (await first.getAttribute('data-testid'))!.replace('drawing-', '');
    await page.getByTestId(`delete-${id}`).click();
    expect(await tiles('training-drawings').count()).toBe(23);
    await expect.poll(savedCount).toBe(29);
    expect(await page.getByTestId('fine-tune').isDisabled()).toBe(false);
    // For the picture: a digit on the canvas, not yet labelled; Esc then clears it unlabelled.
    for (const stroke of DRAWINGS.find((d) => d.digit === 3)!.strokes) await drawStroke(page, stroke, 'teach-canvas');
    await saveScreenshot(page, 'teach', true);
    await page.keyboard.press('Escape');
    await page.keyboard.press('7'); // nothing on the canvas: nothing is labelled
    await expect.poll(() => text(page.getByTestId('teach-note'))).toBe('Draw a digit first, then press its key.');
    expect(await page.locator('[data-testid^="drawing-"]').count()).toBe(29);
  });

  it('fine-tunes in the worker without blocking the page, and the fine-tuned model reads more of the held-out drawings than before', async () => {
    // Before anything is fine-tuned, the screen already says how the current model reads the held-out drawings.
    const currentAccuracy = () => page.getByTestId('current-accuracy').getAttribute('data-accuracy');
    await expect.poll(currentAccuracy).not.toBeNull();
    const currentBefore = Number(await currentAccuracy());
    // The page thread keeps drawing frames while the worker trains (same bound as the Train screen's
    // test): frame gaps are measured from just before the click over 60 frames (≈ 1 s).
    const frameGap = longestFrameGap(page);
    const clicked = Date.now();
    await page.getByTestId('fine-tune').click();
    const worstFrameGap = await frameGap;
    await expect.poll(() => page.getByTestId('fine-tune-status').getAttribute('data-status'), { timeout: 120_000 }).toBe('done');
    // Progress: the bar is full once it is done (while it runs, the status also names the epoch).
    expect(await page.getByTestId('fine-tune-progress').getAttribute('aria-valuenow')).toBe('100');
    const seconds = (Date.now() - clicked) / 1000;
    const before = Number(await panel().getAttribute('data-before'));
    const after = Number(await panel().getAttribute('data-after'));
    expect(Number(await panel().getAttribute('data-held-out'))).toBe(6);
    const [readBefore, readAfter] = [Math.round(before * 6), Math.round(after * 6)];
    console.log(
      `fine-tune on 23 drawings + offline digits: held-out accuracy ${(before * 100).toFixed(1)}% → ${(after * 100).toFixed(1)}% ` +
        `(${readBefore} → ${readAfter} of 6), ${seconds.toFixed(1)} s after the click, longest frame gap ${worstFrameGap.toFixed(0)} ms (2 shared cores)`,
    );
    for (const value of [before, after]) expect(Math.abs(value * 6 - Math.round(value * 6))).toBeLessThan(1e-6); // a count of the 6 held-out drawings
    // The gain this test is for. Measured: 2 → 4 of the 6 held out (33.3 % → 66.7 %: the 7 with a
    // crossbar, read as 2, and the open 4, read as 9, are read right after; the 8 and the 9 on a
    // straight stem stay misread), done 1.0–2.5 s after the click. The settings before
    // this (6 epochs at 0.0005, no augmentation, 1,200 base digits) gave 2 → 2 on these drawings,
    // and over five folds of the 29 downloaded ones 15 → 18 against 15 → 21 now
    // (bench/drawings/fine-tune-gain.mjs --idx test-artifacts/handwriting). In Node, five folds of
    // the 30 fixture images themselves go 17 → 28 (test/renderer/fine-tune.test.ts).
    expect(readAfter).toBeGreaterThan(readBefore);
    // The run's figures agree with the screen's own evaluation of the model before and after.
    expect(currentBefore).toBeCloseTo(before, 10);
    await expect.poll(() => currentAccuracy().then(Number)).toBeCloseTo(after, 10);
    expect(await text(page.getByTestId('current-accuracy'))).toContain(`reads ${readAfter} of your 6 held-out drawings`);
    expect(worstFrameGap).toBeLessThan(400);
    expect(await text(page.getByTestId('accuracy-before'))).toBe(`${(before * 100).toFixed(1)}%`);
    expect(await text(page.getByTestId('accuracy-after'))).toBe(`${(after * 100).toFixed(1)}%`);
    // The fine-tuned model is the app's model now.
    expect(await text(page.getByTestId('model-status'))).toContain('fine-tuned on your handwriting');
    await saveScreenshot(page, 'teach-fine-tuned', true);
  });

  it('keeps the drawings in the browser across a reload and downloads them as the four IDX files the CLI reads', async () => {
    await page.reload();
    await page.getByTestId('tab-teach').click();
    await expect.poll(savedCount).toBe(29);
    expect(await tiles('training-drawings').count()).toBe(23);
    expect(await tiles('held-out-drawings').count()).toBe(6);
    const gridLabels = async (grid: string) => tiles(grid).evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-label'))));

    const downloads: Download[] = [];
    page.on('download', (d) => downloads.push(d));
    await page.getByTestId('teach-download').click();
    await expect.poll(() => downloads.length).toBe(4);
    const folder = join(artifacts, 'handwriting');
    mkdirSync(folder, { recursive: true });
    for (const download of downloads) await download.saveAs(join(folder, download.suggestedFilename()));
    const read = (name: string) => parseIdx(readFileSync(join(folder, name)));
    expect(read('train-images-idx3-ubyte').dims).toEqual([23, 28, 28]);
    expect(read('t10k-images-idx3-ubyte').dims).toEqual([6, 28, 28]);
    expect([...read('train-labels-idx1-ubyte').data]).toEqual(await gridLabels('training-drawings'));
    expect([...read('t10k-labels-idx1-ubyte').data]).toEqual(await gridLabels('held-out-drawings'));
    // Stored as the network sees a drawing: MNIST-style, ink in a 20-pixel box inside the 28×28 frame.
    const images = read('train-images-idx3-ubyte').data as Uint8Array;
    for (let n = 0; n < 23; n++) {
      let top = 28;
      let bottom = -1;
      for (let p = 0; p < 784; p++) {
        if (images[n * 784 + p] > 0) {
          top = Math.min(top, Math.floor(p / 28));
          bottom = Math.max(bottom, Math.floor(p / 28));
        }
      }
      expect(bottom - top + 1).toBeGreaterThanOrEqual(8);
      expect(bottom - top + 1).toBeLessThanOrEqual(22);
    }

    // The upload takes them back (here: into the same browser storage).
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('teach-upload').click()]);
    await chooser.setFiles(downloads.map((d) => join(folder, d.suggestedFilename())));
    await expect.poll(() => text(page.getByTestId('teach-note'))).toBe('Loaded 23 training and 6 held-out drawings.');
  });

  it('has no serious or critical accessibility violation (axe-core) with its grids filled, in both themes', async () => {
    for (const theme of ['dark', 'light'] as const) {
      await page.getByTestId('theme-switch').selectOption(theme);
      // The theme change fades colours in (CSS transitions): check once they have finished.
      await expect.poll(() => page.evaluate(() => document.getAnimations().filter((a) => a.playState === 'running').length)).toBe(0);
      const violations = await seriousViolations(page);
      expect(violations.map((v) => `${theme}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
    }
    expect(app.problems).toEqual([]);
  });
});

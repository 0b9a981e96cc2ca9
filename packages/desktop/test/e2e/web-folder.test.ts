import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseIdx } from '@scratchnet/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../helpers/fixtures.js';
import { greyPng } from '../helpers/grey-png.js';
import { hasChromium, openWebApp, text, type WebApp } from './web-page.js';

/**
 * The web page trains on a folder the user picks (`<input webkitdirectory>`): one subfolder per
 * class of PNGs, decoded by the browser. The folder: 40 offline digits per class as 28×28 PNGs in
 * folders named 0 … 9, plus a text file that is skipped.
 */
let app: WebApp;
let folder: string;
let threeClasses: string;

describe.skipIf(!hasChromium)('a picked folder of images, in the web page', () => {
  beforeAll(async () => {
    const digits = join(packageRoot, 'src/generated/public/offline-digits');
    const images = parseIdx(gunzipSync(readFileSync(join(digits, 'digits-train-images-idx3-ubyte.gz'))));
    const labels = parseIdx(gunzipSync(readFileSync(join(digits, 'digits-train-labels-idx1-ubyte.gz'))));
    folder = join(mkdtempSync(join(tmpdir(), 'scratchnet-web-folder-')), 'my-digits');
    const perClass = new Array<number>(10).fill(0);
    for (let i = 0; i < labels.data.length; i++) {
      const label = labels.data[i];
      if (perClass[label] >= 40) continue;
      mkdirSync(join(folder, String(label)), { recursive: true });
      writeFileSync(join(folder, String(label), `${i}.png`), greyPng(28, 28, (images.data as Uint8Array).subarray(i * 784, (i + 1) * 784)));
      perClass[label]++;
    }
    writeFileSync(join(folder, '3', 'notes.txt'), 'not an image');
    // Three classes with names: the model's output follows the folder (3 units), not the form's 10.
    threeClasses = join(folder, '..', 'three-classes');
    for (const [digit, name] of [[0, 'zero'], [1, 'one'], [2, 'two']] as const) {
      mkdirSync(join(threeClasses, name), { recursive: true });
      for (let i = 0, n = 0; i < labels.data.length && n < 40; i++) {
        if (labels.data[i] !== digit) continue;
        writeFileSync(join(threeClasses, name, `${i}.png`), greyPng(28, 28, (images.data as Uint8Array).subarray(i * 784, (i + 1) * 784)));
        n++;
      }
    }
    app = await openWebApp();
  });

  afterAll(async () => {
    await app?.close();
    rmSync(join(folder, '..'), { recursive: true, force: true });
  });

  it('decodes it in the browser and trains the quick network on it (class folders 0 … 9, a text file skipped)', async () => {
    const { page } = app;
    await page.getByTestId('tab-train').click();
    await page.getByTestId('dataset-select').selectOption('folder');
    await page.getByTestId('preset-select').selectOption('quick');
    await page.getByTestId('epochs').fill('3');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('start').click()]);
    await chooser.setFiles(folder);
    await expect.poll(() => page.getByTestId('train-status').getAttribute('data-status'), { timeout: 60_000 }).toBe('finished');
    // 400 images: 40 held out as the test set, 36 of the rest for validation.
    expect(Number(await page.getByTestId('stat-accuracy').getAttribute('data-value'))).toBeGreaterThan(0.6);
    expect(await text(page.getByTestId('current-model'))).toContain('784-64-10');
    expect(app.problems).toEqual([]);
  });

  it('fits the model to a folder of three named classes (784-64-3)', async () => {
    const { page } = app;
    // A fresh page: the app keeps a picked folder for the next run rather than asking again.
    await page.reload();
    await page.getByTestId('tab-train').click();
    await page.getByTestId('dataset-select').selectOption('folder');
    await page.getByTestId('preset-select').selectOption('quick');
    await page.getByTestId('epochs').fill('3');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('start').click()]);
    await chooser.setFiles(threeClasses);
    await expect.poll(() => page.getByTestId('train-status').getAttribute('data-status'), { timeout: 60_000 }).toBe('finished');
    expect(await text(page.getByTestId('current-model'))).toContain('784-64-3');
    // Three well-separated digit classes: far above the 33 % of a guess.
    expect(Number(await page.getByTestId('stat-accuracy').getAttribute('data-value'))).toBeGreaterThan(0.8);
    expect(app.problems).toEqual([]);
  });
});

import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { packageRoot } from '../helpers/fixtures.js';
import { serveFolder } from './static-server.js';

/** What the end-to-end files share: Debian's chromium on the web build, strokes, screenshots. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const distWeb = join(packageRoot, 'dist-web');
export const artifacts = join(packageRoot, 'test-artifacts');
const screenshots = join(artifacts, 'screenshots');
const docsScreenshots = join(packageRoot, 'docs', 'screenshots');

export interface WebApp {
  browser: Browser;
  page: Page;
  /** Script errors and CSP violations seen so far (a suite fails on any). */
  problems: string[];
  close(): Promise<void>;
}

/**
 * Serves dist-web and opens it in a fresh headless chromium page (cross-origin isolated unless
 * `isolated` is false; `headers` are added to every response, e.g. the CSP as app:// sends it).
 */
export async function openWebApp(options: { isolated?: boolean; headers?: Record<string, string> } = {}): Promise<WebApp> {
  expect(existsSync(join(distWeb, 'index.html')), 'dist-web is missing: run `pnpm --filter @scratchnet/desktop build:web`').toBe(true);
  mkdirSync(screenshots, { recursive: true });
  mkdirSync(docsScreenshots, { recursive: true });
  const server = await serveFolder(distWeb, options);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  // The app follows the system theme; the README's pictures are of the dark one (the light one is tested by switching).
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true, deviceScaleFactor: 1, colorScheme: 'dark' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(server.url);
  return {
    browser,
    page,
    problems,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Saves a screenshot to test-artifacts/screenshots/, and to docs/screenshots/ with UPDATE_SCREENSHOTS=1. */
export async function saveScreenshot(page: Page, name: string, fullPage = false): Promise<void> {
  // The header is sticky: a full-page picture taken scrolled down would show it mid-page.
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  const file = join(screenshots, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  // The README's pictures are refreshed only on request, so a test run leaves the tree clean.
  if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(file, join(docsScreenshots, `${name}.png`));
}

/** Mouse strokes on a drawing canvas (the Draw screen's unless another test id is given); points are fractions of its size. */
export async function drawStroke(page: Page, points: Array<[number, number]>, canvasTestId = 'draw-canvas'): Promise<void> {
  // A tab switch keeps the page's scroll position (the Train form is long), which can leave the
  // canvas under the sticky header: centre it in the viewport first.
  await page.getByTestId(canvasTestId).evaluate((canvas) => canvas.scrollIntoView({ block: 'center' }));
  const box = (await page.getByTestId(canvasTestId).boundingBox())!;
  const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 3 });
  await page.mouse.up();
}

export const ONE: Array<[number, number]> = Array.from({ length: 12 }, (_, i) => [0.52 - i * 0.006, 0.18 + i * 0.058]);
export const ZERO: Array<[number, number]> = Array.from({ length: 33 }, (_, i) => {
  const a = (i / 32) * Math.PI * 2 - Math.PI / 2;
  return [0.5 + 0.2 * Math.cos(a), 0.5 + 0.3 * Math.sin(a)];
});

/** An element's text (playwright's textContent, never null). */
export async function text(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? '';
}

/** The longest gap between animation frames over `frames` frames, in ms: a blocked page thread shows here. */
export function longestFrameGap(page: Page, frames = 60): Promise<number> {
  return page.evaluate(
    (count) =>
      new Promise<number>((resolve) => {
        let last = performance.now();
        let worst = 0;
        let seen = 0;
        const tick = (now: number) => {
          worst = Math.max(worst, now - last);
          last = now;
          if (++seen < count) requestAnimationFrame(tick);
          else resolve(worst);
        };
        requestAnimationFrame(tick);
      }),
    frames,
  );
}

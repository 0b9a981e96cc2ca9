import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AxeViolation, openNetworkView, seriousViolations, strokeOn } from './network-page.js';
import { drawStroke, hasChromium, openWebApp, saveScreenshot, text, type WebApp, ZERO } from './web-page.js';

/**
 * axe-core on every screen and every Network view, in the dark and the light theme, with real
 * content (a trained model, a drawing, an evaluated test set): no serious or critical violation.
 */
let app: WebApp;
let page: Page;

const VIEWS: Array<{ name: string; open: () => Promise<void> }> = [
  { name: 'draw', open: () => page.getByTestId('tab-draw').click() },
  { name: 'train', open: () => page.getByTestId('tab-train').click() },
  { name: 'inspect', open: () => page.getByTestId('tab-inspect').click() },
  { name: 'network: architecture', open: () => openNetworkView(page, 'architecture') },
  { name: 'network: weights', open: () => openNetworkView(page, 'weights') },
  { name: 'network: activations', open: () => openNetworkView(page, 'activations') },
  { name: 'network: histograms', open: () => openNetworkView(page, 'histograms') },
  // Last: the modal list of shortcuts (closed again after the check).
  { name: 'shortcuts list', open: () => page.keyboard.press('?') },
];

function report(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ')}`).join('\n  ')}`).join('\n');
}

describe.skipIf(!hasChromium)('accessibility (axe-core) of every view, in both themes', () => {
  beforeAll(async () => {
    app = await openWebApp();
    page = app.page;
  });

  it('fills every view with content: a quick model, a drawing, an evaluated test set, a picked layer', async () => {
    await page.getByTestId('quick-train').click();
    await expect.poll(() => text(page.getByTestId('model-status')), { timeout: 90_000 }).toMatch(/Model ready/);
    await expect.poll(() => page.getByTestId('train-status').getAttribute('data-status'), { timeout: 60_000 }).toBe('finished');
    await drawStroke(page, ZERO);
    await page.getByTestId('tab-inspect').click();
    await page.getByTestId('evaluate').click();
    await expect.poll(() => page.getByTestId('inspect-summary').getAttribute('data-accuracy'), { timeout: 30_000 }).not.toBeNull();
    await page.getByTestId('game-next').click();
    await openNetworkView(page, 'activations');
    await strokeOn(page, 'network-draw-canvas', ZERO);
    await expect.poll(() => page.getByTestId('activations-view').getAttribute('data-signature')).not.toBe('');
    await openNetworkView(page, 'architecture');
    await page.getByTestId('diagram-layer-0').click();
    await expect.poll(() => page.getByTestId('layer-inspector').getAttribute('data-layer')).toBe('0');
  });

  afterAll(async () => {
    await app?.close();
  });

  for (const theme of ['dark', 'light'] as const) {
    it(`${theme} theme: no serious or critical violations on any view`, async () => {
      await page.getByTestId('theme-switch').selectOption(theme);
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      const found: string[] = [];
      for (const view of VIEWS) {
        await view.open();
        await page.waitForTimeout(150); // let throttled repaints land
        const violations = await seriousViolations(page);
        if (violations.length) found.push(`${view.name}:\n${report(violations)}`);
      }
      expect(await page.getByTestId('shortcuts').isVisible()).toBe(true);
      await page.keyboard.press('Escape');
      expect(found.join('\n\n')).toBe('');
      if (theme === 'light') {
        await openNetworkView(page, 'activations');
        await saveScreenshot(page, 'network-activations-light');
      }
    });
  }

  it('logged no script errors and no Content-Security-Policy violations', () => {
    expect(app.problems).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** Mouse strokes on any drawing canvas (by test id); points are fractions of its size. */
export async function strokeOn(page: Page, testId: string, points: Array<[number, number]>): Promise<void> {
  const box = (await page.getByTestId(testId).boundingBox())!;
  const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 3 });
  await page.mouse.up();
}

/** Opens a screen, and on the Network screen one of its views. */
export async function openNetworkView(page: Page, view: 'architecture' | 'weights' | 'activations' | 'histograms'): Promise<void> {
  await page.getByTestId('tab-network').click();
  await page.getByTestId(`tab-${view}`).click();
}

/** The RGBA bytes of every canvas matched by `selector`, in document order. */
export function canvasPixels(page: Page, selector: string): Promise<number[][]> {
  return page.locator(selector).evaluateAll((canvases) =>
    (canvases as HTMLCanvasElement[]).map((canvas) => Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data)),
  );
}

/** Mean absolute difference between two sets of RGBA images, over the colour channels (0–255). */
export function meanPixelDifference(a: number[][], b: number[][]): number {
  let sum = 0;
  let n = 0;
  a.forEach((image, k) => {
    for (let i = 0; i < image.length; i++) {
      if (i % 4 === 3) continue;
      sum += Math.abs(image[i] - b[k][i]);
      n++;
    }
  });
  return n ? sum / n : 0;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core (the pinned devDependency) in the page and returns the serious and critical
 * violations. The source goes in through `evaluate` (the DevTools protocol), which the page's
 * strict CSP does not govern, so the app is checked under its real policy, no bypass.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

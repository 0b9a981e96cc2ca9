import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tensor } from '@scratchnet/core';
import { loadModel, readSafetensors, sha256Hex } from '@scratchnet/model-format';
import { describe, expect, it } from 'vitest';

/**
 * The "." entry in a real browser: Debian's Chromium loads the built ES modules of model-format,
 * core and zod unbundled (an import map, files served from disk), saves a model to a Blob and
 * loads it back. Skipped when Chromium or playwright-core (a desktop dev dependency) is absent.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';
/** The few playwright-core calls used here (it is resolved at run time, not a dependency of tests/). */
interface Route {
  request(): { url(): string };
  fulfill(response: { status?: number; contentType?: string; body: string | Buffer }): Promise<void>;
}
interface Page {
  on(event: 'pageerror', listener: (error: Error) => void): void;
  route(pattern: string, handler: (route: Route) => Promise<void>): Promise<void>;
  goto(url: string): Promise<unknown>;
  waitForFunction(fn: () => boolean, arg: undefined, options: { timeout: number }): Promise<unknown>;
  evaluate<T>(fn: () => T): Promise<T>;
}
interface Playwright {
  chromium: { launch(options: { executablePath: string; args: string[] }): Promise<{ newPage(): Promise<Page>; close(): Promise<void> }> };
}
const playwright = (() => {
  try {
    return createRequire(join(repoRoot, 'packages/desktop/package.json'))('playwright-core') as Playwright;
  } catch {
    return undefined;
  }
})();
const zodDir = dirname(createRequire(join(repoRoot, 'packages/model-format/package.json')).resolve('zod/package.json'));
const roots: Record<string, string> = {
  'model-format': join(repoRoot, 'packages/model-format/dist'),
  core: join(repoRoot, 'packages/core/dist'),
  fixture: join(repoRoot, 'packages/model-format/test/fixtures'),
  zod: zodDir,
};

// Runs in the page, as plain JavaScript (kept out of the test's own code so no transform touches it).
const BROWSER_SCRIPT = `
import * as mf from '@scratchnet/model-format';
import * as core from '@scratchnet/core';
try {
  const model = core.buildModel(core.parseArchitecture('8-6-3', { output: 'softmax' }), { seed: 17 }).eval();
  const bytes = mf.encodeCheckpoint({ model, classNames: ['x', 'y', 'z'] });
  const loaded = mf.loadModel(await mf.bytesFromBlob(mf.blobFromBytes(bytes)));
  const input = new core.Tensor([2, 8], Float32Array.from({ length: 16 }, (_, i) => Math.cos(i)));
  const fixture = new Uint8Array(await (await fetch('/fixture/checkpoint-v1.safetensors')).arrayBuffer());
  const v1 = mf.decodeCheckpoint(fixture);
  let typedError = '';
  try { mf.decodeCheckpoint(bytes.subarray(0, bytes.length - 1)); } catch (error) { typedError = error.name + ':' + error.code; }
  window.result = {
    bytes: [...bytes], sha: mf.sha256Hex(bytes), predictions: [...loaded.model.forward(input).data],
    classNames: loaded.classNames, v1History: v1.training.history, typedError,
  };
} catch (error) {
  window.result = { failure: String(error && error.stack || error) };
}
`;

const PAGE = `<!doctype html><html><head><link rel="icon" href="data:,">
<script type="importmap">{"imports": {
  "@scratchnet/model-format": "/model-format/index.js", "@scratchnet/core": "/core/index.js", "zod": "/zod/index.js"}}</script>
<script type="module">${BROWSER_SCRIPT}</script>
</head><body></body></html>`;

describe.skipIf(!playwright || !existsSync(CHROMIUM))('model-format in Chromium', () => {
  it('encodes, goes through a Blob, decodes and predicts exactly as Node does; reads the v1 fixture', async () => {
    const browser = await playwright!.chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.route('http://scratchnet.test/**', async (route) => {
        const path = new URL(route.request().url()).pathname;
        if (path === '/') return route.fulfill({ contentType: 'text/html', body: PAGE });
        const [, root, ...rest] = path.split('/');
        const file = roots[root] && join(roots[root], ...rest);
        if (!file || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
        const contentType = file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
        return route.fulfill({ contentType, body: readFileSync(file) });
      });
      await page.goto('http://scratchnet.test/');
      await page.waitForFunction(() => (globalThis as { result?: unknown }).result !== undefined, undefined, { timeout: 60_000 });
      const result = await page.evaluate(() => (globalThis as unknown as { result: Record<string, any> }).result);
      expect(result.failure).toBeUndefined();
      expect(errors).toEqual([]);
      const bytes = Uint8Array.from(result.bytes);
      // The browser-written file is a valid checkpoint for Node, hashes the same, and predicts the same bits.
      expect(result.sha).toBe(sha256Hex(bytes));
      expect(readSafetensors(bytes).metadata.format).toBe('scratchnet');
      const input = new Tensor([2, 8], Float32Array.from({ length: 16 }, (_, i) => Math.cos(i)));
      const nodePredictions = loadModel(bytes).model.forward(input).data;
      expect(new Uint32Array(Float32Array.from(result.predictions).buffer)).toEqual(new Uint32Array(Float32Array.from(nodePredictions).buffer));
      expect(result.classNames).toEqual(['x', 'y', 'z']);
      expect(result.v1History).toHaveLength(3);
      expect(result.typedError).toBe('FormatError:TRUNCATED');
    } finally {
      await browser.close();
    }
  });
});

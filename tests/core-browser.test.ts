import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * @scratchnet/core runs unchanged in a browser and a Web Worker: headless Chromium loads the
 * built ESM bundle (no bundler, no polyfills) in a page that trains XOR on the fastest backend,
 * and in a module worker that trains it again. Skips when no Chromium is installed (.ci/run
 * installs Debian's).
 */
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const dist = join(repoRoot, 'packages', 'core', 'dist');
const fixtures = join(repoRoot, 'tests', 'fixtures', 'core-browser');
const chromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(
  (path) => path && existsSync(path),
);
let server: Server | undefined;
let origin = '';

function serve(urlPath: string): { body: Buffer; type: string } | null {
  const [root, rest] = urlPath.startsWith('/core/') ? [dist, urlPath.slice('/core/'.length)] : [fixtures, urlPath.slice(1)];
  const file = normalize(join(root, rest));
  if (!file.startsWith(root) || !existsSync(file)) return null;
  const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
  return { body: readFileSync(file), type };
}

beforeAll(async () => {
  if (!chromium) return;
  if (!existsSync(join(dist, 'index.js'))) throw new Error('packages/core/dist is missing: build @scratchnet/core first');
  server = createServer((request, response) => {
    const found = serve(new URL(request.url ?? '/', 'http://localhost').pathname);
    response.writeHead(found ? 200 : 404, { 'content-type': found?.type ?? 'text/plain' });
    response.end(found?.body ?? 'not found');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe.skipIf(!chromium)('@scratchnet/core in headless Chromium', () => {
  it('trains in a page and in a module Web Worker', async () => {
    // Asynchronous: the page is served by this process, which must keep answering meanwhile.
    const { stdout: dom } = await promisify(execFile)(
      chromium!,
      ['--headless=new', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=60000', '--dump-dom', `${origin}/page.html`],
      { encoding: 'utf8', timeout: 120_000 },
    );
    const match = /RESULT (\{.*\})/.exec(dom);
    expect(match, `page never reported a result:\n${dom}`).not.toBeNull();
    const result = JSON.parse(match![1].replace(/&quot;/g, '"'));
    expect(result).toMatchObject({ accuracy: 1, epochs: 400, worker: { accuracy: 1 } });
    expect(['js', 'wasm']).toContain(result.backend);
  });
});

import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from '../../src/main/app-protocol.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/**
 * Serves a built folder on 127.0.0.1 (a random free port) for the browser tests, cross-origin
 * isolated as app:// and vite's servers are (so training can use threads), unless `isolated` is false.
 */
export async function serveFolder(
  folder: string,
  options: { isolated?: boolean; headers?: Record<string, string> } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const isolation = { ...(options.isolated === false ? {} : CROSS_ORIGIN_ISOLATION_HEADERS), ...options.headers };
  const root = resolve(folder);
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = resolve(join(root, normalize(path === '/' ? '/index.html' : path)));
    if (!file.startsWith(root)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', ...isolation }).end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((done) => server.close(() => done())) };
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A mirror on 127.0.0.1 that trickles each file out in small chunks. */
export interface SlowServer {
  url: string;
  requests: number;
  close(): Promise<void>;
}

/**
 * Serves `files` by name with a Content-Length, `chunkBytes` at a time every `intervalMs`, so a
 * download lasts long enough for a kill to land anywhere in it.
 */
export async function startSlowServer(files: ReadonlyMap<string, Uint8Array>, chunkBytes: number, intervalMs: number): Promise<SlowServer> {
  const state = { requests: 0 };
  const server: Server = createServer((request, response) => {
    state.requests++;
    const name = decodeURIComponent((request.url ?? '/').slice(1));
    const body = files.get(name);
    if (!body) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    let offset = 0;
    const timer = setInterval(() => {
      if (response.destroyed) return clearInterval(timer);
      response.write(body.subarray(offset, offset + chunkBytes));
      offset += chunkBytes;
      if (offset >= body.length) {
        clearInterval(timer);
        response.end();
      }
    }, intervalMs);
    response.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the server answers a request for a file. */
export type Behaviour =
  | 'ok'
  | 'not-found'
  /** Serves the file with one byte flipped (damaged in transit or on the mirror). */
  | 'wrong-bytes'
  /** Serves another valid gzip file under this name (a mirror with a different version). */
  | 'other-file'
  /** Promises the full length, sends half, then drops the connection. */
  | 'cut-off'
  /** Accepts the request and never answers. */
  | 'hang'
  /** Sends the file in 8 pieces 40 ms apart, so concurrent clients overlap. */
  | 'slow'
  /** Promises the full length, sends half, then goes silent with the connection open. */
  | 'stall'
  /** Chunked transfer encoding, no Content-Length. */
  | 'chunked'
  /** Chunked, and the connection drops half way (no terminating chunk). */
  | 'chunked-cut-off'
  /** 302 to the same path under /moved/, which serves the file. */
  | 'redirect';

export interface TestServer {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** Paths requested, in order. */
  requests: string[];
  /**
   * Behaviour for a file name; default 'ok'. Sees how often the file was asked for before; may
   * return a promise to hold the response back (e.g. until a second client has asked too).
   */
  behave: (fileName: string, attempt: number) => Behaviour | Promise<Behaviour>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 serving `files` by name, with scripted misbehaviour. */
export async function startTestServer(files: Map<string, Uint8Array>, behave: TestServer['behave'] = () => 'ok'): Promise<TestServer> {
  const requests: string[] = [];
  const attempts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const state = { behave };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const fileName = decodeURIComponent((req.url ?? '/').split('/').pop() ?? '');
    requests.push(req.url ?? '');
    const attempt = attempts.get(fileName) ?? 0;
    attempts.set(fileName, attempt + 1);
    const body = files.get(fileName);
    const behaviour = body ? await state.behave(fileName, attempt) : 'not-found';
    switch (behaviour) {
      case 'not-found':
        res.writeHead(404).end('not found');
        return;
      case 'hang':
        return;
      case 'wrong-bytes': {
        const bad = Buffer.from(body!);
        bad[bad.length >> 1] ^= 0xff;
        res.writeHead(200, { 'content-length': bad.length }).end(bad);
        return;
      }
      case 'other-file': {
        const other = [...files.entries()].find(([name]) => name !== fileName)![1];
        res.writeHead(200, { 'content-length': other.length }).end(other);
        return;
      }
      case 'stall':
        res.writeHead(200, { 'content-length': body!.length });
        res.write(body!.subarray(0, body!.length >> 1));
        return;
      case 'chunked':
        res.writeHead(200);
        res.write(body!.subarray(0, body!.length >> 1));
        res.end(body!.subarray(body!.length >> 1));
        return;
      case 'chunked-cut-off':
        res.writeHead(200);
        res.write(body!.subarray(0, body!.length >> 1), () => setTimeout(() => res.socket?.destroy(), 20));
        return;
      case 'redirect':
        if (!req.url?.startsWith('/moved/')) {
          res.writeHead(302, { location: `/moved/${encodeURIComponent(fileName)}` }).end();
          return;
        }
        res.writeHead(200, { 'content-length': body!.length }).end(body);
        return;
      case 'cut-off':
        res.writeHead(200, { 'content-length': body!.length });
        res.write(body!.subarray(0, body!.length >> 1), () => setTimeout(() => res.socket?.destroy(), 20));
        return;
      case 'slow': {
        res.writeHead(200, { 'content-length': body!.length });
        const piece = Math.ceil(body!.length / 8);
        let at = 0;
        const next = () => {
          if (at >= body!.length) return void res.end();
          res.write(body!.subarray(at, at + piece));
          at += piece;
          setTimeout(next, 40);
        };
        next();
        return;
      }
      default:
        res.writeHead(200, { 'content-length': body!.length }).end(body);
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get behave() {
      return state.behave;
    },
    set behave(fn) {
      state.behave = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

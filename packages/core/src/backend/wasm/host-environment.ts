// Everything in core that touches a Node-only global lives in this file: reading environment
// variables and starting worker_threads. Both are reached only at run time, behind checks that
// the globals exist, so the bundle loads unchanged in browsers, Web Workers and Electron renderers.

/** The little of a worker the thread pool needs, whatever created it. */
export interface WorkerHandle {
  postMessage(message: unknown): void;
  /** Called with the worker's first message ('ready'). */
  onMessage(listener: (message: unknown) => void): void;
  onError(listener: (error: unknown) => void): void;
  terminate(): void;
}

/**
 * Starts a worker running `body` (source text defining `startWorker(init, post)`); the factory
 * wraps it so the first message received calls `startWorker`. Inject one through
 * `createWasmBackend({ createWorker })` where the defaults below do not fit (e.g. a bundler that
 * wants a worker URL).
 */
export type WorkerFactory = (body: string) => Promise<WorkerHandle>;

interface NodeWorker {
  postMessage(message: unknown): void;
  once(event: 'message' | 'error', listener: (value: unknown) => void): void;
  terminate(): unknown;
  unref(): void;
}

interface BrowserWorker {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  terminate(): void;
}

type Globals = {
  process?: { versions?: { node?: string } };
  Worker?: new (url: string) => BrowserWorker;
  Blob?: new (parts: string[], options: { type: string }) => unknown;
  URL?: { createObjectURL(blob: unknown): string };
  crossOriginIsolated?: boolean;
};

/**
 * worker_threads in Node (and Electron's main process), Web Workers from a Blob URL in browsers
 * that are cross-origin isolated (shared memory needs it), else null (one thread).
 *
 * The Node branch is core's one deliberate exception to "no Node-only imports": a dynamic
 * import whose specifier is a runtime value, reached only when `process.versions.node` exists,
 * so bundlers leave it alone and browsers never evaluate it.
 */
export async function defaultWorkerFactory(): Promise<WorkerFactory | null> {
  const g = globalThis as Globals;
  if (g.process?.versions?.node) {
    const specifier = ['node', 'worker_threads'].join(':');
    let threads: { Worker: new (source: string, options: { eval: true }) => NodeWorker };
    try {
      threads = await import(/* @vite-ignore */ specifier);
    } catch {
      return null;
    }
    return async (body) => {
      const source = `const { parentPort } = require('worker_threads');\n${body}\nparentPort.once('message', (init) => startWorker(init, (m) => parentPort.postMessage(m)));`;
      const worker = new threads.Worker(source, { eval: true });
      // Idle workers must not keep a CLI process alive.
      worker.unref();
      return {
        postMessage: (message) => worker.postMessage(message),
        onMessage: (listener) => worker.once('message', listener),
        onError: (listener) => worker.once('error', listener),
        terminate: () => void worker.terminate(),
      };
    };
  }
  if (g.Worker && g.Blob && g.URL && g.crossOriginIsolated) {
    const { Worker, Blob, URL } = g;
    return async (body) => {
      const source = `${body}\nself.onmessage = (event) => { self.onmessage = null; startWorker(event.data, (m) => self.postMessage(m)); };`;
      const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
      return {
        postMessage: (message) => worker.postMessage(message),
        onMessage: (listener) => {
          worker.onmessage = (event) => listener(event.data);
        },
        onError: (listener) => {
          worker.onerror = listener;
        },
        terminate: () => worker.terminate(),
      };
    };
  }
  return null;
}

/** `process.env[name]` where a `process` global exists (Node, Electron), else undefined. */
export function environmentVariable(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env ? env[name] : undefined;
}

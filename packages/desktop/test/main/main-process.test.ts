import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DesktopErrorCode } from '../../src/shared/desktop-error.js';
import { IpcChannel } from '../../src/shared/bridge-api.js';
import { parseContentSecurityPolicy } from '../../src/main/content-security-policy.js';

/**
 * Runs the real main-process entry (src/main/index.ts) against a stand-in `electron` module and
 * checks what it asked Electron to do: the window it created, the protocol, the session's
 * permission and header hooks, the navigation guards and the IPC handlers.
 */
const recorded = vi.hoisted(() => ({
  windows: [] as Array<{ options: any; loaded: string[] }>,
  privileged: [] as any[],
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  appListeners: new Map<string, (...args: any[]) => void>(),
  ipcHandlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<any>>(),
  packaged: false,
  permissionHandler: null as null | ((contents: unknown, permission: string, callback: (allow: boolean) => void) => void),
  headersHook: null as null | ((details: any, callback: (response: any) => void) => void),
  fetched: [] as string[],
  opened: [] as string[],
  pathsAsked: [] as string[],
}));

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () => recorded.windows;
    loaded: string[] = [];
    constructor(readonly options: unknown) {
      recorded.windows.push(this as any);
    }
    once() {}
    on() {}
    show() {}
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  }
  return {
    app: {
      get isPackaged() {
        return recorded.packaged;
      },
      whenReady: () => Promise.resolve(),
      // The app's data folder: a temporary one, so the handwriting store writes nowhere real.
      getPath: (name: string) => {
        recorded.pathsAsked.push(name);
        return join(tmpdir(), `scratchnet-main-test-${process.pid}`, name);
      },
      on: (event: string, listener: (...args: any[]) => void) => recorded.appListeners.set(event, listener),
      quit: () => {},
    },
    BrowserWindow,
    ipcMain: {
      handle: (channel: string, listener: (event: unknown, ...args: unknown[]) => Promise<any>) => recorded.ipcHandlers.set(channel, listener),
      removeHandler: () => {},
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: any[]) => recorded.privileged.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => recorded.protocolHandlers.set(scheme, handler),
    },
    net: {
      fetch: async (url: string) => {
        recorded.fetched.push(url);
        return new Response('<html></html>', { headers: { 'content-type': 'text/html' } });
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: any) => {
          recorded.permissionHandler = handler;
        },
        webRequest: {
          onHeadersReceived: (hook: any) => {
            recorded.headersHook = hook;
          },
        },
      },
    },
    shell: { openExternal: async (url: string) => recorded.opened.push(url) },
    dialog: {},
    utilityProcess: {},
  };
});

/** Runs src/main/index.ts afresh as a packaged app or under `electron-vite dev`, with ELECTRON_RENDERER_URL set or not. */
async function startMain(options: { packaged: boolean; rendererUrlEnv?: string }): Promise<void> {
  recorded.windows.length = 0;
  recorded.privileged.length = 0;
  recorded.protocolHandlers.clear();
  recorded.appListeners.clear();
  recorded.ipcHandlers.clear();
  recorded.opened.length = 0;
  recorded.packaged = options.packaged;
  if (options.rendererUrlEnv === undefined) delete process.env.ELECTRON_RENDERER_URL;
  else process.env.ELECTRON_RENDERER_URL = options.rendererUrlEnv;
  vi.resetModules();
  await import('../../src/main/index.js');
  await new Promise((resolve) => setTimeout(resolve, 0)); // let whenReady().then run
  delete process.env.ELECTRON_RENDERER_URL;
}

/** The guards the main process put on a new web contents: its event listeners and window-open handler. */
function guardedContents() {
  const listeners = new Map<string, (event: any, ...args: any[]) => void>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (event: string, listener: any) => listeners.set(event, listener),
    setWindowOpenHandler: (handler: any) => {
      openHandler = handler;
    },
  };
  recorded.appListeners.get('web-contents-created')!({}, contents);
  return {
    listeners,
    open: (url: string) => openHandler!({ url }),
    /** Whether `event` for `url` was prevented; the URL is passed both ways Electron does (details.url and the deprecated argument). */
    prevented(event: string, url?: string) {
      const listener = listeners.get(event);
      if (!listener) throw new Error(`no ${event} listener`);
      let was = false;
      listener({ url, preventDefault: () => (was = true) }, url);
      return was;
    },
  };
}

/** Invokes an IPC handler as a top-level frame at `url` would. */
function invokeFrom(url: string, channel: string, ...args: unknown[]) {
  const event = { senderFrame: { url, parent: null }, sender: { send() {}, isDestroyed: () => false } };
  return recorded.ipcHandlers.get(channel)!(event, ...args);
}

describe('the main process as started', () => {
  beforeAll(() => startMain({ packaged: false }));

  it('creates one window, sandboxed and isolated, loading the app from app://', () => {
    expect(recorded.windows).toHaveLength(1);
    const { options, loaded } = recorded.windows[0];
    expect(options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(options.webPreferences.preload).toMatch(/preload[/\\]index\.cjs$/);
    expect(loaded).toEqual(['app://scratchnet/index.html']);
  });

  it('registers app:// as a secure standard scheme and serves files with the CSP header', async () => {
    expect(recorded.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    const handler = recorded.protocolHandlers.get('app')!;
    const response = await handler(new Request('app://scratchnet/index.html'));
    expect(response.status).toBe(200);
    const policy = parseContentSecurityPolicy(response.headers.get('content-security-policy')!);
    expect(policy.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    // Cross-origin isolated, so SharedArrayBuffer (the training worker's threads) is allowed.
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(recorded.fetched.at(-1)).toMatch(/^file:\/\/.*[/\\]renderer[/\\]index\.html$/);
    const escaped = await handler(new Request('app://scratchnet/%2e%2e%2fmain%2findex.js'));
    expect(escaped.status).toBe(404);
  });

  it('adds the CSP header to every other response too', () => {
    let answer: any;
    recorded.headersHook!({ url: 'https://example.com/x.js', responseHeaders: { a: ['b'] } }, (r) => {
      answer = r;
    });
    expect(answer.responseHeaders.a).toEqual(['b']);
    expect(answer.responseHeaders['Content-Security-Policy'][0]).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(answer.responseHeaders['Cross-Origin-Opener-Policy']).toEqual(['same-origin']);
    expect(answer.responseHeaders['Cross-Origin-Embedder-Policy']).toEqual(['require-corp']);
  });

  it('denies every permission request', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      let allowed: boolean | undefined;
      recorded.permissionHandler!({}, permission, (allow) => {
        allowed = allow;
      });
      expect(allowed).toBe(false);
    }
  });

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])('%s: blocks anything away from the app origin', (event) => {
    const { prevented } = guardedContents();
    expect(prevented(event, 'https://example.com/')).toBe(true);
    expect(prevented(event, 'file:///etc/passwd')).toBe(true);
    expect(prevented(event, 'https://scratchnet/index.html')).toBe(true);
    expect(prevented(event, 'app://other/index.html')).toBe(true);
    expect(prevented(event, 'not a url')).toBe(true);
    expect(prevented(event, undefined)).toBe(true);
    expect(prevented(event, 'app://scratchnet/index.html')).toBe(false);
  });

  it('blocks webviews', () => {
    expect(guardedContents().prevented('will-attach-webview')).toBe(true);
  });

  it('opens no new window, and hands no link to the system browser (the allow-list is empty)', () => {
    const { open } = guardedContents();
    for (const url of ['https://example.com/', 'https://github.com/', 'http://localhost/', 'javascript:alert(1)', 'file:///etc/passwd', 'app://scratchnet/index.html']) {
      expect(open(url)).toEqual({ action: 'deny' });
    }
    expect(recorded.opened).toEqual([]);
  });

  it('registers exactly one IPC handler per bridge channel', () => {
    expect([...recorded.ipcHandlers.keys()].sort()).toEqual(
      [
        IpcChannel.loadDataset,
        IpcChannel.pickDatasetFiles,
        IpcChannel.pickDatasetFolder,
        IpcChannel.openCheckpoint,
        IpcChannel.saveCheckpoint,
        IpcChannel.loadHandwriting,
        IpcChannel.saveHandwriting,
      ].sort(),
    );
  });
});

describe('the handwriting store as wired in the main process', () => {
  beforeAll(() => startMain({ packaged: false }));

  it('keeps the Teach screen’s drawings in <userData>/handwriting, asked for only when the page first loads them', async () => {
    expect(recorded.pathsAsked).toEqual([]);
    const result = await invokeFrom('app://scratchnet/index.html', IpcChannel.loadHandwriting);
    expect(result).toMatchObject({ ok: true, value: { location: join(tmpdir(), `scratchnet-main-test-${process.pid}`, 'userData', 'handwriting'), train: { count: 0 }, heldOut: { count: 0 } } });
    expect(recorded.pathsAsked).toEqual(['userData']);
  });
});

describe('a packaged app', () => {
  beforeAll(() => startMain({ packaged: true, rendererUrlEnv: 'http://localhost:5173/' }));

  it('ignores ELECTRON_RENDERER_URL: the window loads the app from app://', () => {
    expect(recorded.windows).toHaveLength(1);
    expect(recorded.windows[0].loaded).toEqual(['app://scratchnet/index.html']);
  });

  it('trusts IPC only from the app:// origin, not from the URL in the environment', async () => {
    const fromEnvUrl = await invokeFrom('http://localhost:5173/', IpcChannel.loadDataset, { name: 'nope' });
    expect(fromEnvUrl).toMatchObject({ ok: false, error: { code: `desktop/${DesktopErrorCode.UNTRUSTED_SENDER}` } });
    // From the app's own page the sender check passes and argument validation answers.
    const fromApp = await invokeFrom('app://scratchnet/index.html', IpcChannel.loadDataset, { name: 'nope' });
    expect(fromApp).toMatchObject({ ok: false, error: { code: `desktop/${DesktopErrorCode.INVALID_REQUEST}` } });
  });

  it('blocks navigation and redirects to the URL in the environment', () => {
    const { prevented } = guardedContents();
    expect(prevented('will-navigate', 'http://localhost:5173/')).toBe(true);
    expect(prevented('will-redirect', 'http://localhost:5173/')).toBe(true);
    expect(prevented('will-navigate', 'app://scratchnet/index.html')).toBe(false);
  });

  it('sends the strict CSP, even for responses from that URL', () => {
    let answer: any;
    recorded.headersHook!({ url: 'http://localhost:5173/index.html', responseHeaders: {} }, (r) => {
      answer = r;
    });
    expect(answer.responseHeaders['Content-Security-Policy'][0]).not.toContain('unsafe-inline');
  });
});

describe('under electron-vite dev (not packaged)', () => {
  beforeAll(() => startMain({ packaged: false, rendererUrlEnv: 'http://localhost:5173/' }));

  it('loads the dev server and trusts only its origin for IPC and navigation', async () => {
    expect(recorded.windows[0].loaded).toEqual(['http://localhost:5173/']);
    expect(await invokeFrom('http://localhost:5173/', IpcChannel.loadDataset, { name: 'nope' })).toMatchObject({
      ok: false,
      error: { code: `desktop/${DesktopErrorCode.INVALID_REQUEST}` },
    });
    expect(await invokeFrom('app://scratchnet/index.html', IpcChannel.loadDataset, { name: 'nope' })).toMatchObject({
      ok: false,
      error: { code: `desktop/${DesktopErrorCode.UNTRUSTED_SENDER}` },
    });
    const { prevented } = guardedContents();
    expect(prevented('will-redirect', 'http://localhost:5173/other')).toBe(false);
    expect(prevented('will-redirect', 'https://example.com/')).toBe(true);
  });
});

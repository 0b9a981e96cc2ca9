import { beforeAll, describe, expect, it, vi } from 'vitest';
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
  ipcChannels: [] as string[],
  permissionHandler: null as null | ((contents: unknown, permission: string, callback: (allow: boolean) => void) => void),
  headersHook: null as null | ((details: any, callback: (response: any) => void) => void),
  fetched: [] as string[],
  opened: [] as string[],
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
      whenReady: () => Promise.resolve(),
      on: (event: string, listener: (...args: any[]) => void) => recorded.appListeners.set(event, listener),
      quit: () => {},
    },
    BrowserWindow,
    ipcMain: { handle: (channel: string) => recorded.ipcChannels.push(channel), removeHandler: () => {} },
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
  };
});

beforeAll(async () => {
  delete process.env.ELECTRON_RENDERER_URL;
  await import('../../src/main/index.js');
  await new Promise((resolve) => setTimeout(resolve, 0)); // let whenReady().then run
});

describe('the main process as started', () => {
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

  it('blocks navigation away from the app, webviews and new windows', () => {
    const listeners = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const contents = {
      on: (event: string, listener: any) => listeners.set(event, listener),
      setWindowOpenHandler: (handler: any) => {
        openHandler = handler;
      },
    };
    recorded.appListeners.get('web-contents-created')!({}, contents);
    const prevented = (event: string, url?: string) => {
      let was = false;
      listeners.get(event)!({ preventDefault: () => (was = true) }, url);
      return was;
    };
    expect(prevented('will-navigate', 'https://example.com/')).toBe(true);
    expect(prevented('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(prevented('will-navigate', 'https://scratchnet/index.html')).toBe(true);
    expect(prevented('will-navigate', 'not a url')).toBe(true);
    expect(prevented('will-navigate', 'app://scratchnet/index.html')).toBe(false);
    expect(prevented('will-attach-webview')).toBe(true);
    expect(openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(recorded.opened).toEqual(['https://example.com/']);
  });

  it('registers exactly one IPC handler per bridge channel', () => {
    expect(recorded.ipcChannels.sort()).toEqual(
      [IpcChannel.loadDataset, IpcChannel.pickDatasetFiles, IpcChannel.openCheckpoint, IpcChannel.saveCheckpoint].sort(),
    );
  });
});

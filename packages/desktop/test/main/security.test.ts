import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { resolveAppPath } from '../../src/main/app-protocol.js';
import { CONTENT_SECURITY_POLICY_DIRECTIVES, contentSecurityPolicy, parseContentSecurityPolicy } from '../../src/main/content-security-policy.js';
import { isTrustedSender } from '../../src/main/trusted-sender.js';
import { mainWindowOptions } from '../../src/main/window-options.js';
import { createPreloadApi } from '../../src/preload/preload-api.js';
import { BRIDGE_GLOBAL, BRIDGE_METHODS, IpcChannel } from '../../src/shared/bridge-api.js';
import { packageRoot } from '../helpers/fixtures.js';

const mainSources = join(packageRoot, 'src', 'main');

describe('BrowserWindow', () => {
  const prefs = mainWindowOptions('/app/out/preload/index.cjs').webPreferences!;

  it('isolates the page from Node and Electron', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });

  it('is only ever created with those options', () => {
    const constructions = readdirSync(mainSources)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => readFileSync(join(mainSources, f), 'utf8').match(/new BrowserWindow\([^)]*\)?/g) ?? []);
    expect(constructions.length).toBeGreaterThan(0);
    for (const call of constructions) expect(call).toMatch(/^new BrowserWindow\(mainWindowOptions\(/);
  });

  it('points at a preload the build actually produces as one CommonJS file (sandboxed preloads cannot load ESM)', () => {
    const source = readFileSync(join(mainSources, 'index.ts'), 'utf8');
    expect(source).toContain("'../preload/index.cjs'");
  });
});

describe('Content-Security-Policy', () => {
  const policy = parseContentSecurityPolicy(contentSecurityPolicy());
  const remote = /^(https?:|wss?:|\*|data:$|blob:$)/;

  it('allows scripts only from the app itself (plus WebAssembly compilation)', () => {
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    // blob: for core's thread-pool workers (started from its own source text); no remote worker.
    expect(policy.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(policy.get('object-src')).toEqual(["'none'"]);
  });

  it('allows no remote source and no eval or inline script anywhere', () => {
    for (const [name, sources] of Object.entries(CONTENT_SECURITY_POLICY_DIRECTIVES)) {
      for (const source of sources) {
        expect(source, `${name} ${source}`).not.toMatch(/^(https?:|wss?:|\*)/);
        expect(source, `${name} ${source}`).not.toMatch(/^'unsafe-(eval|inline|hashes)'$|strict-dynamic/);
      }
    }
    for (const name of ['script-src', 'connect-src', 'style-src', 'font-src']) {
      for (const source of policy.get(name) ?? []) expect(source).not.toMatch(remote);
    }
  });

  it('relaxes only styles and the hot-reload socket, and only for the dev server', () => {
    const dev = parseContentSecurityPolicy(contentSecurityPolicy({ devServer: true }));
    expect(dev.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(dev.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(dev.get('connect-src')).toEqual(["'self'", 'ws:']);
    expect(policy.get('style-src')).toEqual(["'self'"]);
  });

  it.each(['out/renderer/index.html', 'dist-web/index.html'])('is in the built %s before any script', (file) => {
    const path = join(packageRoot, file);
    expect(existsSync(path), `${file} is missing: run the build first`).toBe(true);
    const html = readFileSync(path, 'utf8').replaceAll('&#39;', "'");
    const match = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/);
    expect(match).not.toBeNull();
    const built = parseContentSecurityPolicy(match![1]);
    expect(built.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(built.get('default-src')).toEqual(["'none'"]);
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
    // No remote URL anywhere in the page.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});

describe('bridge', () => {
  function fakeIpc() {
    const calls: unknown[][] = [];
    const listeners = new Map<string, Set<(...args: any[]) => void>>();
    return {
      calls,
      listeners,
      invoke: async (channel: string, ...args: unknown[]) => {
        calls.push([channel, ...args]);
        return { ok: true, value: null };
      },
      on: (channel: string, listener: (...args: any[]) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(listener);
      },
      removeListener: (channel: string, listener: (...args: any[]) => void) => listeners.get(channel)?.delete(listener),
    };
  }

  it('exposes exactly the documented functions', () => {
    const api = createPreloadApi(fakeIpc());
    expect(Object.keys(api).sort()).toEqual([...BRIDGE_METHODS].sort());
    for (const name of BRIDGE_METHODS) expect(typeof api[name]).toBe('function');
  });

  it('sends each call on its own channel with only the caller’s arguments', async () => {
    const ipc = fakeIpc();
    const api = createPreloadApi(ipc);
    await api.loadDataset({ name: 'mnist', split: 'test' });
    await api.pickDatasetFiles();
    await api.openCheckpoint();
    await api.saveCheckpoint({ suggestedName: 'a.safetensors', bytes: new Uint8Array(1) });
    const empty = { count: 0, images: new Uint8Array(0), labels: new Uint8Array(0) };
    await api.loadHandwriting();
    await api.saveHandwriting({ train: empty, heldOut: empty });
    expect(ipc.calls).toEqual([
      [IpcChannel.loadDataset, { name: 'mnist', split: 'test' }],
      [IpcChannel.pickDatasetFiles],
      [IpcChannel.openCheckpoint],
      [IpcChannel.saveCheckpoint, { suggestedName: 'a.safetensors', bytes: new Uint8Array(1) }],
      [IpcChannel.loadHandwriting],
      [IpcChannel.saveHandwriting, { train: empty, heldOut: empty }],
    ]);
  });

  it('passes events without Electron’s event object, and on() returns an unsubscribe', () => {
    const ipc = fakeIpc();
    const api = createPreloadApi(ipc);
    const seen: unknown[] = [];
    const off = api.onDatasetProgress((p) => seen.push(p));
    const relay = [...ipc.listeners.get(IpcChannel.datasetProgress)!][0];
    relay({ sender: 'secret' }, { source: 'x', receivedBytes: 1, totalBytes: 2 });
    expect(seen).toEqual([{ source: 'x', receivedBytes: 1, totalBytes: 2 }]);
    off();
    expect(ipc.listeners.get(IpcChannel.datasetProgress)!.size).toBe(0);
  });

  it('the built preload requires nothing but electron and exposes only the bridge', () => {
    const path = join(packageRoot, 'out/preload/index.cjs');
    expect(existsSync(path), 'out/preload/index.cjs is missing: run the build first').toBe(true);
    const required: string[] = [];
    const exposed = new Map<string, Record<string, unknown>>();
    const electron = {
      contextBridge: { exposeInMainWorld: (name: string, api: Record<string, unknown>) => exposed.set(name, api) },
      ipcRenderer: fakeIpc(),
    };
    runInNewContext(readFileSync(path, 'utf8'), {
      require: (name: string) => {
        required.push(name);
        if (name !== 'electron') throw new Error(`preload requires ${name}`);
        return electron;
      },
      module: { exports: {} },
      exports: {},
    });
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual([BRIDGE_GLOBAL]);
    expect(Object.keys(exposed.get(BRIDGE_GLOBAL)!).sort()).toEqual([...BRIDGE_METHODS].sort());
  });
});

describe('app:// protocol and sender checks', () => {
  const root = '/app/out/renderer';

  it('serves files inside the renderer folder', () => {
    expect(resolveAppPath(root, 'app://scratchnet/index.html')).toBe('/app/out/renderer/index.html');
    expect(resolveAppPath(root, 'app://scratchnet/')).toBe('/app/out/renderer/index.html');
    expect(resolveAppPath(root, 'app://scratchnet/assets/a%20b.js')).toBe('/app/out/renderer/assets/a b.js');
  });

  it.each([
    'app://scratchnet/../main/index.js',
    'app://scratchnet/%2e%2e/main/index.js',
    'app://scratchnet/assets/%2e%2e%2f%2e%2e%2fmain/index.js',
    'app://scratchnet/..%5cmain%5cindex.js',
    'app://scratchnet/%00',
  ])('never leaves the renderer folder for %s', (url) => {
    const file = resolveAppPath(root, url);
    // The URL parser already folds plain "..": what is left must stay inside the folder.
    if (file !== null) expect(file.startsWith(`${root}/`)).toBe(true);
  });

  it.each(['app://other/index.html', 'https://scratchnet/index.html', 'not a url'])('serves nothing for %s', (url) => {
    expect(resolveAppPath(root, url)).toBeNull();
  });

  it('trusts only the top frame of the app origin (or the dev server in dev)', () => {
    const top = (url: string) => ({ senderFrame: { url, parent: null } });
    expect(isTrustedSender(top('app://scratchnet/index.html'), 'app://scratchnet/index.html')).toBe(true);
    expect(isTrustedSender(top('app://scratchnet/index.html#x'), 'app://scratchnet/index.html')).toBe(true);
    expect(isTrustedSender(top('http://localhost:5173/'), 'http://localhost:5173/')).toBe(true);
    expect(isTrustedSender(top('http://localhost:5174/'), 'http://localhost:5173/')).toBe(false);
    expect(isTrustedSender(top('https://example.com/'), 'app://scratchnet/index.html')).toBe(false);
    expect(isTrustedSender({ senderFrame: null }, 'app://scratchnet/index.html')).toBe(false);
    expect(isTrustedSender({ senderFrame: { url: 'app://scratchnet/index.html', parent: {} } }, 'app://scratchnet/index.html')).toBe(false);
  });
});

describe('the built main bundle (out/main/index.js)', () => {
  it('starts under Node with a stand-in electron: every import resolves, and it opens the secured window on app://', () => {
    const bundle = join(packageRoot, 'out/main/index.js');
    expect(existsSync(bundle), 'out/main/index.js is missing: run the build first').toBe(true);
    const output = execFileSync(process.execPath, ['--import', './test/fixtures/register-fake-electron.mjs', bundle], {
      cwd: packageRoot,
      encoding: 'utf8',
      env: Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'ELECTRON_RENDERER_URL')),
      timeout: 30_000,
    });
    const report = JSON.parse(output.trim().split('\n').at(-1)!);
    expect(report.windows).toHaveLength(1);
    const prefs = report.windows[0].webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(existsSync(prefs.preload), `preload ${prefs.preload} must exist`).toBe(true);
    expect(report.loaded).toEqual(['app://scratchnet/index.html']);
    expect(report.protocols).toEqual(['app']);
    expect(report.ipc.sort()).toEqual(Object.values(IpcChannel).filter((c) => c !== IpcChannel.datasetProgress).sort());
  });

  it('decodes no checkpoint or ONNX model in the main process: only the checker bundle imports decodeModelFile', () => {
    const main = readFileSync(join(packageRoot, 'out/main/index.js'), 'utf8');
    const checker = readFileSync(join(packageRoot, 'out/main/checkpoint-checker.js'), 'utf8');
    for (const decoder of ['decodeCheckpoint', 'decodeModelFile', 'importOnnx', 'readOnnx']) expect(main).not.toContain(decoder);
    expect(main).toContain('"./checkpoint-checker.js"');
    expect(checker).toContain('decodeModelFile');
    const imports = [...checker.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imports).toEqual(['@scratchnet/model-format']);
  });

  it('as a packaged app, ignores ELECTRON_RENDERER_URL and loads app://', () => {
    const output = execFileSync(process.execPath, ['--import', './test/fixtures/register-fake-electron.mjs', join(packageRoot, 'out/main/index.js')], {
      cwd: packageRoot,
      encoding: 'utf8',
      env: { ...process.env, FAKE_ELECTRON_PACKAGED: '1', ELECTRON_RENDERER_URL: 'http://localhost:5173/' },
      timeout: 30_000,
    });
    expect(JSON.parse(output.trim().split('\n').at(-1)!).loaded).toEqual(['app://scratchnet/index.html']);
  });
});

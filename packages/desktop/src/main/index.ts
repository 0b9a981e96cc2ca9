import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, net, protocol, session, shell } from 'electron';
import { APP_SCHEME, CROSS_ORIGIN_ISOLATION_HEADERS, resolveAppPath } from './app-protocol.js';
import { createCheckpointStore } from './checkpoint-store.js';
import { CHECKPOINT_CHECKER_PATH, createCheckpointValidator } from './checkpoint-validation.js';
import { contentSecurityPolicy } from './content-security-policy.js';
import { createDatasetStore } from './dataset-store.js';
import { createElectronDialogs } from './dialogs.js';
import { createHandwritingStore } from './handwriting-store.js';
import { registerIpcHandlers } from './ipc.js';
import { createNamedDatasetLoader } from './named-datasets.js';
import { rendererLocation } from './renderer-location.js';
import { guardWebContents } from './web-contents-guards.js';
import { utilityCheckProcess } from './utility-check-process.js';
import { mainWindowOptions } from './window-options.js';

// The dev server under `electron-vite dev`; a packaged app always loads app:// from its own files.
const { url: rendererUrl, devServerUrl } = rendererLocation(app.isPackaged, process.env);
const rendererDir = join(import.meta.dirname, '../renderer');

// Must happen before `ready`: app:// behaves like https (secure, standard, fetch allowed).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let mainWindow: BrowserWindow | null = null;

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(join(import.meta.dirname, '../preload/index.cjs')));
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    mainWindow = null;
  });
  void window.loadURL(rendererUrl);
  return window;
}

/** Locks down every web contents: no navigation or redirect away from the app, no new windows. */
function hardenWebContents(): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, { rendererUrl, openExternal: (url) => shell.openExternal(url) }));
}

void app.whenReady().then(() => {
  const policy = contentSecurityPolicy();
  const devPolicy = contentSecurityPolicy({ devServer: true });
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppPath(rendererDir, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).href);
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', policy);
    headers.set('X-Content-Type-Options', 'nosniff');
    for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION_HEADERS)) headers.set(name, value);
    return new Response(response.body, { status: response.status, headers });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    const fromDevServer = devServerUrl !== undefined && details.url.startsWith(devServerUrl);
    const isolation = Object.fromEntries(Object.entries(CROSS_ORIGIN_ISOLATION_HEADERS).map(([name, value]) => [name, [value]]));
    callback({ responseHeaders: { ...details.responseHeaders, ...isolation, 'Content-Security-Policy': [fromDevServer ? devPolicy : policy] } });
  });
  hardenWebContents();
  registerIpcHandlers(
    ipcMain,
    {
      dialogs: createElectronDialogs(() => mainWindow),
      checkpoints: createCheckpointStore(createCheckpointValidator(utilityCheckProcess(CHECKPOINT_CHECKER_PATH))),
      datasets: createDatasetStore(createNamedDatasetLoader()),
      handwriting: createHandwritingStore(() => app.getPath('userData')),
    },
    rendererUrl,
  );
  mainWindow = createMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

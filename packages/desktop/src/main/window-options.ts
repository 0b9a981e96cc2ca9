import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * Options of the app's only window. Kept as a pure function so the security test can check them
 * without launching Electron: the renderer gets no Node, runs sandboxed in its own context, and
 * talks to the main process only through the preload's bridge.
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 860,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'scratchnet',
    backgroundColor: '#0f1420',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: false,
    },
  };
}

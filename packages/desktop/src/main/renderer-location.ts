import { APP_URL } from './app-protocol.js';

/** Where the window loads the page from, and the dev server's URL when there is one. */
export interface RendererLocation {
  /** The page the window loads; IPC senders and navigations must have its scheme and host. */
  url: string;
  /** The electron-vite dev server, which alone gets the relaxed dev CSP; undefined when packaged. */
  devServerUrl: string | undefined;
}

/**
 * `electron-vite dev` sets ELECTRON_RENDERER_URL to its dev server. A packaged app ignores it:
 * otherwise anyone who can set the app's environment could load a page of their choosing into the
 * window and have it trusted for IPC.
 */
export function rendererLocation(isPackaged: boolean, env: Record<string, string | undefined>): RendererLocation {
  const devServerUrl = isPackaged ? undefined : env.ELECTRON_RENDERER_URL || undefined;
  return { url: devServerUrl ?? APP_URL, devServerUrl };
}

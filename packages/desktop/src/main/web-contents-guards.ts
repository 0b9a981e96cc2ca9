import { isAllowedExternalLink } from './external-links.js';
import { isTrustedSender } from './trusted-sender.js';

/** Electron passes the target URL on the event (`details.url`) and, deprecated, as the next argument. */
type NavigationListener = (event: { url?: string; preventDefault(): void }, url?: string) => void;

/** The parts of Electron's `WebContents` the guards use. */
export interface GuardableContents {
  on(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect' | 'will-attach-webview', listener: NavigationListener): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface GuardOptions {
  /** The page the window loads: the only scheme and host anything may navigate or redirect to. */
  rendererUrl: string;
  /** Opens a link in the system browser (Electron's `shell.openExternal`). */
  openExternal(url: string): Promise<void>;
  allowList?: readonly string[];
}

/**
 * Locks down one web contents: no navigation, subframe navigation or server redirect away from
 * the app's origin, no `<webview>`, no new windows. A `window.open` of a link on the allow-list
 * goes to the system browser; anything else is dropped.
 */
export function guardWebContents(contents: GuardableContents, options: GuardOptions): void {
  const stayOnApp: NavigationListener = (event, url) => {
    const target = event.url ?? url ?? '';
    if (!isTrustedSender({ senderFrame: { url: target, parent: null } }, options.rendererUrl)) event.preventDefault();
  };
  contents.on('will-navigate', stayOnApp);
  contents.on('will-frame-navigate', stayOnApp);
  contents.on('will-redirect', stayOnApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalLink(url, options.allowList)) void options.openExternal(url);
    return { action: 'deny' };
  });
}

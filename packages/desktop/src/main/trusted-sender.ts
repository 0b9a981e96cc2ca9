/** The parts of an IPC event the sender check reads (Electron's `IpcMainInvokeEvent` has them). */
export interface SenderInfo {
  senderFrame: { url: string; parent: unknown } | null;
}

/**
 * Whether an IPC message comes from the app's own top-level page: the `app://` origin the
 * packaged renderer is served from, or the dev server's origin under `electron-vite dev`.
 * Anything else (an iframe, a page the window was somehow navigated to) is refused.
 * Compares scheme and host rather than `URL.origin`, which is "null" for custom schemes.
 */
export function isTrustedSender(event: SenderInfo, rendererUrl: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent) return false;
  try {
    const sender = new URL(frame.url);
    const app = new URL(rendererUrl);
    return sender.protocol === app.protocol && sender.host === app.host && sender.host !== '';
  } catch {
    return false;
  }
}

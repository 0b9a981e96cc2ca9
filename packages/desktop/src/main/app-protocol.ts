import { normalize, relative, resolve, sep } from 'node:path';

/** The renderer is served from `app://scratchnet/…` rather than file://, so fetch, workers and CSP 'self' behave as on the web. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'scratchnet';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Headers that make a page cross-origin isolated (`crossOriginIsolated` is true), which browsers
 * require before they allow SharedArrayBuffer, so the training worker's kernels can run on several
 * threads sharing one WebAssembly memory. The app loads nothing from elsewhere, so requiring CORP
 * of cross-origin resources costs nothing. Sent by app://, the web build's servers (vite's dev and
 * preview servers, the tests' static server) and the dev server's responses in Electron.
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
});

/**
 * Maps an `app://scratchnet/<path>` request to a file inside the renderer folder, or null when
 * the URL is for another host or would escape the folder (`..`, encoded separators, absolute paths).
 */
export function resolveAppPath(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const root = resolve(rendererDir);
  const file = resolve(root, normalize(`.${pathname === '/' ? '/index.html' : pathname}`));
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || inside.startsWith(sep) || resolve(root, inside) !== file) return null;
  return file;
}

/**
 * Pages the app may hand to the user's browser (`window.open`, a `target=_blank` link). The app
 * links nowhere today and the project publishes no docs site, so the list is empty and every
 * request is refused. An entry is an https URL; a link matches it when it has the same origin
 * and its path is the entry's path or lies below it (an entry ending in `/` is a folder).
 */
export const EXTERNAL_LINK_ALLOW_LIST: readonly string[] = [];

/** Whether `url` may be opened in the system browser under `allowList`. */
export function isAllowedExternalLink(url: string, allowList: readonly string[] = EXTERNAL_LINK_ALLOW_LIST): boolean {
  const link = parseHttps(url);
  if (!link) return false;
  return allowList.some((entry) => {
    const allowed = parseHttps(entry);
    if (!allowed || allowed.origin !== link.origin) return false;
    if (link.pathname === allowed.pathname) return true;
    return allowed.pathname.endsWith('/') && link.pathname.startsWith(allowed.pathname);
  });
}

/** An https URL without credentials (which could disguise the real host), or null. */
function parseHttps(text: string): URL | null {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' && url.username === '' && url.password === '' ? url : null;
  } catch {
    return null;
  }
}

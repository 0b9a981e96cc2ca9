/**
 * The Content-Security-Policy of every page the app shows. Nothing is loaded from the network:
 * scripts, styles, images, workers and fetches are limited to the app's own files, so a data set
 * or checkpoint can never pull in remote code. 'wasm-unsafe-eval' lets the fast backend compile
 * WebAssembly without allowing `eval`; `blob:`/`data:` images are the app's own canvases and
 * downloads. Workers may also start from `blob:` URLs: core's thread pool starts its kernel
 * workers from a Blob of its own source text (core ships as one bundle with no worker file), and
 * only the page's own scripts can make a blob: URL; such a worker inherits this policy.
 */
export const CONTENT_SECURITY_POLICY_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'none'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'", 'blob:'],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
};

export interface PolicyOptions {
  /**
   * The dev server's relaxations, never used in a build: Vite injects CSS as <style> elements
   * and keeps a websocket open for hot reload.
   */
  devServer?: boolean;
  /** Leave out directives a <meta> tag cannot carry (frame-ancestors). */
  forMetaTag?: boolean;
}

/** The policy as a header / meta-tag value. */
export function contentSecurityPolicy(options: PolicyOptions = {}): string {
  return Object.entries(CONTENT_SECURITY_POLICY_DIRECTIVES)
    .filter(([name]) => !(options.forMetaTag && name === 'frame-ancestors'))
    .map(([name, sources]) => {
      let list = [...sources];
      if (options.devServer && name === 'style-src') list = [...list, "'unsafe-inline'"];
      if (options.devServer && name === 'connect-src') list = [...list, 'ws:'];
      return `${name} ${list.join(' ')}`;
    })
    .join('; ');
}

/** Splits a policy string into directive → sources, for checks and tests. */
export function parseContentSecurityPolicy(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

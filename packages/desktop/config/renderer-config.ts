import { resolve } from 'node:path';
import type { Plugin, UserConfig } from 'vite';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from '../src/main/app-protocol.js';
import { contentSecurityPolicy } from '../src/main/content-security-policy.js';

/**
 * Writes the Content-Security-Policy into index.html as a meta tag, from the same directives the
 * main process sends as a header, so the Electron build and the web build enforce one policy.
 * Only the dev server relaxes it (Vite injects CSS as <style> and talks to its HMR websocket).
 */
export function contentSecurityPolicyPlugin(): Plugin {
  let serving = false;
  return {
    name: 'scratchnet-csp',
    configResolved(config) {
      serving = config.command === 'serve';
    },
    transformIndexHtml() {
      const policy = contentSecurityPolicy({ devServer: serving, forMetaTag: true });
      return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' }];
    },
  };
}

/**
 * Settings shared by the Electron renderer build and the plain web build. `packageRoot` comes
 * from the calling config file: this module is bundled into it, so its own location is not reliable.
 */
export function rendererConfig(packageRoot: string): UserConfig {
  return {
    root: resolve(packageRoot, 'src/renderer'),
    // The offline digits, generated from the `mnist` package by scripts/generate-offline-digits.mjs.
    publicDir: resolve(packageRoot, 'src/generated/public'),
    base: './',
    plugins: [contentSecurityPolicyPlugin()],
    worker: { format: 'es' },
    // Cross-origin isolation for the dev and preview servers, as app:// sends it (SharedArrayBuffer for the training threads).
    server: { headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } },
    preview: { headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } },
    build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  };
}

import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { rendererConfig } from './config/renderer-config.js';

/** The renderer as a plain web page (`dev:web`, `build:web` → dist-web/), using the web bridge. */
export default defineConfig({
  ...rendererConfig(import.meta.dirname),
  build: { ...rendererConfig(import.meta.dirname).build, outDir: resolve(import.meta.dirname, 'dist-web'), emptyOutDir: true },
  server: { ...rendererConfig(import.meta.dirname).server, port: 5174, strictPort: false },
  preview: { ...rendererConfig(import.meta.dirname).preview, port: 4174 },
});

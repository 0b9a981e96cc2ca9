import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './config/renderer-config.js';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          // Its own entry: checkpoint-validation.ts runs it as a separate process.
          'checkpoint-checker': resolve(import.meta.dirname, 'src/main/checkpoint-checker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot `require` anything but electron: bundle it into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig(import.meta.dirname),
    build: {
      ...rendererConfig(import.meta.dirname).build,
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } },
    },
  },
});

import { defineConfig } from 'tsup';

export default defineConfig({
  // image-worker is loaded by `new Worker(new URL('./image-worker.js', import.meta.url))` from the
  // Node entry, so it must be its own file next to node.js.
  entry: { index: 'src/index.ts', node: 'src/node.ts', 'image-worker': 'src/node/image-folder/image-worker.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // offline-digits and the decode pool resolve files from import.meta.url; shims make that work in the CJS build.
  shims: true,
});

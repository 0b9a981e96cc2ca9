import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // offline-digits resolves the `mnist` package from import.meta.url; shims make that work in the CJS build.
  shims: true,
});

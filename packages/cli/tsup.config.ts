import { defineConfig } from 'tsup';

export default defineConfig({
  // tune-worker is loaded by `new Worker(new URL('./tune-worker.js', import.meta.url))` and
  // trial-process by `fork(new URL('./trial-process.js', …))`, so each is its own file next to cli.js.
  entry: { cli: 'src/cli.ts', index: 'src/index.ts', tune: 'src/tune/index.ts', 'tune-worker': 'src/tune/tune-worker.ts', 'trial-process': 'src/tune/trial-process.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts', tune: 'src/tune/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-artifacts/vitest.json' }]],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // No system data dirs, a temp cache, no mirror/offline overrides from the shell.
    setupFiles: ['test/helpers/setup-env.ts'],
    // The end-to-end suite starts one chromium; keep files sequential on a 2-core machine.
    fileParallelism: false,
  },
});

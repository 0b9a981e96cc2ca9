import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-artifacts/vitest.json' }]],
    testTimeout: 60_000,
    // No system data dirs, a temp cache, no mirror/offline overrides from the shell.
    setupFiles: ['test/setup-env.ts'],
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-artifacts/vitest.json' }]],
    testTimeout: 60_000,
    // A temp SCRATCHNET_CACHE_DIR for every run: tests never touch the real user cache.
    setupFiles: ['test/helpers/setup-env.ts'],
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    reporters: ['default', ['json', { outputFile: 'test-artifacts/vitest.json' }]],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // No system data dirs, a temp cache, no mirror/offline overrides from the shell: see the file.
    setupFiles: ['setup-env.ts'],
  },
});

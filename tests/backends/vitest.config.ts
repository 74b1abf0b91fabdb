import { defineConfig } from 'vitest/config';
import { testCacheEnvironment } from '../../scripts/test-cache-directory.mjs';

export default defineConfig({
  test: {
    env: testCacheEnvironment(),
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});

import { defineConfig } from 'vitest/config';
import { testCacheEnvironment } from '../../scripts/test-cache-directory.mjs';

export default defineConfig({
  test: {
    env: testCacheEnvironment(),
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});

import { defineConfig } from 'vitest/config';
import { testCacheEnvironment } from '../../scripts/test-cache-directory.mjs';

export default defineConfig({
  test: {
    env: testCacheEnvironment(),
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    // Type tests of the public API: `*.test-d.ts` files are checked with tsc (expectTypeOf), not run.
    typecheck: {
      enabled: true,
      include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
});

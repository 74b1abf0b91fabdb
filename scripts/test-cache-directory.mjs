/**
 * A compile-cache directory for one test run: every vitest config points
 * LADON_CACHE_DIR at a fresh temporary directory, so tests never read a
 * program cached by an earlier run (or write into the user's ~/.cache), and
 * removes it when the run ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The environment a test run's workers get: `{ LADON_CACHE_DIR }` of a new temporary directory. */
export function testCacheEnvironment() {
  const directory = mkdtempSync(join(tmpdir(), 'ladon-test-cache-'));
  process.on('exit', () => rmSync(directory, { recursive: true, force: true }));
  return { LADON_CACHE_DIR: directory };
}

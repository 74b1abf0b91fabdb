/**
 * What the runtime needs from its host in a browser (or any bundle built
 * with the `browser` condition): no Node built-in, and optional peers only
 * when the application hands them in, so a bundler sees every import.
 */
import { LadonError } from '@ladon/ir';
import type { CacheStore } from '../compile/cache/cache-store.js';
import { indexedDbStore } from '../compile/cache/indexeddb-store.js';

/** Which host this build is for. */
export const HOST_KIND: 'node' | 'browser' = 'browser';

/** Node built-ins do not exist here. */
export function nodeBuiltin<T>(name: string): T | undefined {
  void name;
  return undefined;
}

/**
 * A bundled page cannot load a package by a name only known at run time: the
 * application passes a loader whose `import()` its bundler can see.
 */
export function importOptionalPeer<T>(specifier: string, why: string, option = 'loader'): Promise<T> {
  return Promise.reject(
    new LadonError('E_UNSUPPORTED', `${why} needs ${specifier}: in a browser bundle pass it in, e.g. { ${option}: () => import('${specifier}') } (a lazy import your bundler puts in its own chunk)`),
  );
}

/** The persistent compile cache here: IndexedDB (a directory has no meaning in a browser). */
export function defaultCacheStore(directory?: string): CacheStore | undefined {
  void directory;
  return indexedDbStore();
}

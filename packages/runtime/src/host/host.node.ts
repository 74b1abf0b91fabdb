/**
 * What the runtime needs from its host in Node (the browser build swaps this
 * module for host.browser.ts; see tsup.config.ts and the `browser` / `node`
 * conditions of package.json). Node built-ins are reached through
 * `process.getBuiltinModule`, never imported, so no bundler follows them.
 */
import { LadonError } from '@ladon/ir';
import type { CacheStore } from '../compile/cache/cache-store.js';
import { defaultCacheDirectory, directoryStore } from '../compile/cache/directory-store.js';

interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule?: (name: string) => unknown;
}

/** Which host this build is for. */
export const HOST_KIND: 'node' | 'browser' = 'node';

/** A Node built-in module (`node:fs`, ...), or undefined outside Node. */
export function nodeBuiltin<T>(name: string): T | undefined {
  const node = (globalThis as { process?: NodeProcess }).process;
  if (!node?.versions?.node || typeof node.getBuiltinModule !== 'function') return undefined;
  return node.getBuiltinModule(name) as T;
}

/**
 * Loads an optional peer package by name when the application did not hand
 * it in. Node resolves bare specifiers itself; the specifier is a variable
 * on purpose, so bundlers never try to include the package.
 */
export async function importOptionalPeer<T>(specifier: string, why: string, option?: string): Promise<T> {
  try {
    return (await import(/* @vite-ignore */ specifier)) as T;
  } catch (error) {
    throw new LadonError('E_UNSUPPORTED', `${why} needs ${specifier}, which could not be loaded (install it${option ? `, or pass { ${option} }` : ''}): ${(error as Error).message}`);
  }
}

/** The persistent compile cache here: a directory (`directory`, else LADON_CACHE_DIR, XDG_CACHE_HOME/ladon or ~/.cache/ladon). */
export function defaultCacheStore(directory?: string): CacheStore | undefined {
  const fs = nodeBuiltin<Parameters<typeof directoryStore>[0]>('node:fs');
  const os = nodeBuiltin<{ homedir(): string }>('node:os');
  const node = (globalThis as { process?: { env: Record<string, string | undefined>; pid: number } }).process;
  if (!fs || !os || !node) return undefined;
  return directoryStore(fs, directory ?? defaultCacheDirectory(node.env, os.homedir()), node);
}

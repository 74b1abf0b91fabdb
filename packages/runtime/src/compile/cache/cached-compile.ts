/**
 * The compile cache in front of the compiler. `cache: 'persistent'` (the
 * default) looks in memory, then in the host's store (a directory in Node,
 * IndexedDB in browsers), and stores what it compiles in both; `'memory'`
 * keeps programs for this process or page only; `false` always compiles.
 * A stored entry that fails its checks (cache-entry.ts) is dropped with a
 * one-line notice and compiled again: a corrupt entry never runs.
 */
import type { Graph, Program } from '@ladon/ir';
import { defaultCacheStore } from '../../host/host.node.js';
import type { CompileTarget } from '../../load-tools.js';
import { cacheKey } from './cache-key.js';
import { CorruptCacheEntry, decodeEntry, encodeEntry } from './cache-entry.js';
import type { CacheStore } from './cache-store.js';

/** Where compiled programs are kept: across processes and page loads, for this process only, or nowhere. */
export type CacheMode = 'persistent' | 'memory' | false;

/** Cache settings of a session. */
export interface CacheSettings {
  /** Default `'persistent'`. */
  readonly cache?: CacheMode;
  /** Node: the cache directory (default LADON_CACHE_DIR, else $XDG_CACHE_HOME/ladon, else ~/.cache/ladon). */
  readonly cacheDirectory?: string;
}

/** Where a session's program came from. */
export type ProgramOrigin = 'precompiled' | 'compiled' | 'memory-cache' | 'persistent-cache';

const memory = new Map<string, Program>();

/** What the cache needs to know about the compile. */
export interface CompileJob {
  readonly graph: Graph;
  readonly target: CompileTarget;
  /** The compiler's build identity; without one nothing is kept across processes. */
  readonly compilerVersion: string | undefined;
  readonly compile: () => Promise<Program>;
}

/** Forgets the programs kept in memory (the persistent store is untouched). */
export function clearMemoryCache(): void {
  memory.clear();
}

/** The program for `job`, from a cache or compiled (and then kept as `settings` say). */
export async function compileCached(job: CompileJob, settings: CacheSettings): Promise<{ program: Program; origin: ProgramOrigin }> {
  const mode = settings.cache ?? 'persistent';
  if (mode === false) return { program: await job.compile(), origin: 'compiled' };
  const key = await cacheKey(job.graph, { target: job.target, compilerVersion: job.compilerVersion ?? 'unversioned', features: job.target === 'wasm' ? ['simd128', 'relaxed-simd'] : [] });
  const remembered = memory.get(key);
  if (remembered) return { program: remembered, origin: 'memory-cache' };
  const store = mode === 'persistent' && job.compilerVersion !== undefined ? defaultCacheStore(settings.cacheDirectory) : undefined;
  const stored = store ? await readStored(store, key) : undefined;
  if (stored) {
    memory.set(key, stored);
    return { program: stored, origin: 'persistent-cache' };
  }
  const program = await job.compile();
  memory.set(key, program);
  if (store) await store.put(key, await encodeEntry(program)).catch(() => undefined); // a full disk or a refused quota only costs the next start
  return { program, origin: 'compiled' };
}

async function readStored(store: CacheStore, key: string): Promise<Program | undefined> {
  const entry = await store.get(key);
  if (!entry) return undefined;
  try {
    return await decodeEntry(entry);
  } catch (error) {
    if (!(error instanceof CorruptCacheEntry)) throw error;
    console.warn(`ladon: dropped a corrupt compile cache entry in ${store.where} (${error.reason}); compiling again`);
    await store.delete(key).catch(() => undefined);
    return undefined;
  }
}

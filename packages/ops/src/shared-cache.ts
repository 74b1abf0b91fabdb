/**
 * The process-wide program cache behind `attention()`, `multiHeadAttention()`
 * and `IncrementalAttention`: their programs depend only on shapes, dtypes
 * and options, never on weights, so every caller shares them.
 */
import { ProgramCache, type CompiledCacheStats } from './program-cache.js';

/** The shared cache (internal: the package exports only the two functions below). */
export const sharedProgramCache = new ProgramCache();

/**
 * Disposes every session compiled by `attention()`, `multiHeadAttention()`
 * and `IncrementalAttention`, freeing their memory; the next call compiles
 * again. (A `MultiHeadAttention` module holds its own programs: call its
 * `dispose()`.)
 */
export function clearCompiledCache(): void {
  sharedProgramCache.clear();
}

/**
 * How the shared cache has been used: `compiles` (one per new signature),
 * `hits` (calls that reused a program) and `size` (sessions held).
 */
export function compiledCacheStats(): CompiledCacheStats {
  return sharedProgramCache.stats();
}

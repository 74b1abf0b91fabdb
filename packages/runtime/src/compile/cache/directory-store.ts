/**
 * The Node cache store: one file per entry in a directory —
 * `LADON_CACHE_DIR`, else `$XDG_CACHE_HOME/ladon`, else `~/.cache/ladon`
 * (or the directory handed in). Writes go to a temporary file renamed into
 * place, so a reader never sees half an entry. Node built-ins come through
 * the host seam.
 */
import type { CacheStore } from './cache-store.js';

interface NodeFs {
  promises: {
    readFile(path: string): Promise<Uint8Array>;
    writeFile(path: string, data: Uint8Array): Promise<void>;
    rename(from: string, to: string): Promise<void>;
    mkdir(path: string, options: { recursive: true }): Promise<unknown>;
    rm(path: string, options: { force: true }): Promise<void>;
  };
}

interface NodeEnv {
  env: Record<string, string | undefined>;
  pid: number;
}

/** The default cache directory, from the environment. */
export function defaultCacheDirectory(env: Record<string, string | undefined>, home: string): string {
  if (env.LADON_CACHE_DIR) return env.LADON_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || `${home}/.cache`;
  return `${base}/ladon`;
}

/** A store over `directory` with Node's fs. */
export function directoryStore(fs: NodeFs, directory: string, process: NodeEnv): CacheStore {
  const file = (key: string): string => `${directory}/${key}.ladon-cache`;
  let made: Promise<unknown> | undefined;
  return {
    where: directory,
    async get(key) {
      try {
        return new Uint8Array(await fs.promises.readFile(file(key)));
      } catch {
        return undefined;
      }
    },
    async put(key, entry) {
      made ??= fs.promises.mkdir(directory, { recursive: true });
      await made;
      const temporary = `${file(key)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await fs.promises.writeFile(temporary, entry);
      await fs.promises.rename(temporary, file(key));
    },
    async delete(key) {
      await fs.promises.rm(file(key), { force: true });
    },
  };
}

/** Where persistent cache entries live: a directory in Node, IndexedDB in browsers (host.*.ts picks one). */

/** A key-value store of cache entries (keys are hex SHA-256). */
export interface CacheStore {
  /** A short description for notices (`~/.cache/ladon`, `IndexedDB ladon-compile-cache`). */
  readonly where: string;
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, entry: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
}

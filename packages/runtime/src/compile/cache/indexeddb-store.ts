/**
 * The browser cache store: IndexedDB database `ladon-compile-cache`, object
 * store `programs`, entries by key. Where IndexedDB is missing or refuses
 * (private modes), every read misses and writes are dropped.
 */
import type { CacheStore } from './cache-store.js';

const DATABASE = 'ladon-compile-cache';
const STORE = 'programs';

function request<T>(make: () => IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const pending = make();
    pending.onsuccess = () => resolve(pending.result);
    pending.onerror = () => reject(pending.error ?? new Error('IndexedDB request failed'));
  });
}

let database: Promise<IDBDatabase | undefined> | undefined;

function open(): Promise<IDBDatabase | undefined> {
  database ??= new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') return resolve(undefined);
    const opening = indexedDB.open(DATABASE, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => resolve(undefined);
  });
  return database;
}

async function withStore<T>(mode: IDBTransactionMode, use: (store: IDBObjectStore) => IDBRequest<T>): Promise<T | undefined> {
  const db = await open();
  if (!db) return undefined;
  return request(() => use(db.transaction(STORE, mode).objectStore(STORE)));
}

/** The IndexedDB store. */
export function indexedDbStore(): CacheStore {
  return {
    where: `IndexedDB ${DATABASE}`,
    async get(key) {
      const value = await withStore('readonly', (store) => store.get(key) as IDBRequest<unknown>).catch(() => undefined);
      return value instanceof Uint8Array ? value : value instanceof ArrayBuffer ? new Uint8Array(value) : undefined;
    },
    async put(key, entry) {
      await withStore('readwrite', (store) => store.put(entry, key)).catch(() => undefined);
    },
    async delete(key) {
      await withStore('readwrite', (store) => store.delete(key)).catch(() => undefined);
    },
  };
}

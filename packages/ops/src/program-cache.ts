/**
 * The compiled-program cache. An op describes what it needs as a signature
 * string (backend, declared input types, attributes); the first call with a
 * signature builds the IR graph, compiles it and loads it into a Session,
 * and every later call with the same signature runs that Session again.
 * Runs on one session are queued one after another, so concurrent calls
 * never share a backend's buffers.
 *
 * Tiered start: a call that allows an interim result, made while its
 * program is still compiling (in the compiler's worker), is answered by the
 * reference interpreter on the same graph; the compiled session takes over
 * for every call after it is ready.
 */
import { interpret, type Graph, type Tensor } from '@ladon/ir';
import { Session, type BackendName, type CacheMode, type ProgressListener } from '@ladon/runtime';
import { loadCompiler } from './compiler-loader.js';

/** How a cache has been used: compiles (misses), reuses (hits) and live sessions. */
export interface CompiledCacheStats {
  /** Programs compiled (and sessions created) so far: one per new signature. */
  readonly compiles: number;
  /** Calls that reused an already compiled program. */
  readonly hits: number;
  /** Sessions currently held. */
  readonly size: number;
  /** Calls answered by the reference interpreter while their program compiled (tiered start). */
  readonly interim: number;
}

/** How the cache's sessions are created: the backend and the wasm thread count. */
export interface CacheSessionOptions {
  readonly backend: BackendName;
  readonly numThreads?: number;
  /** Where compiled programs are kept (the runtime's `cache`; default persistent). */
  readonly cache?: CacheMode;
  /** Progress of fetching, compiling and instantiating the program (only when this call compiles). */
  readonly onProgress?: ProgressListener;
  /** Answer with the reference interpreter while the program compiles (tiered start). Default false. */
  readonly interim?: boolean;
}

interface CacheEntry {
  readonly graph: Graph;
  readonly session: Promise<Session>;
  /** Set once the session is ready (from then on, no interim results). */
  ready: boolean;
  /** Resolves when the runtime starts compiling (its compile cache missed); never, on a cache hit. */
  readonly compiling: Promise<void>;
  /** The tail of this session's run queue. */
  queue: Promise<unknown>;
}

/** Sessions by signature, created on first use. */
export class ProgramCache {
  private readonly entries = new Map<string, CacheEntry>();
  private compiles = 0;
  private hits = 0;
  private interim = 0;

  /**
   * Runs the program for `signature` on `feeds`, compiling `build()` for
   * the session's backend (and thread count) first when the signature is new.
   */
  async run(signature: string, session: CacheSessionOptions, build: () => Graph, feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
    const entry = this.entryFor(`${signature}|threads=${session.numThreads ?? 'default'}`, session, build);
    if (session.interim && !entry.ready && (await compilesFirst(entry))) {
      this.interim++;
      return interpret(entry.graph, feeds);
    }
    const result = entry.queue.then(async () => (await entry.session).run(feeds));
    entry.queue = result.catch(() => undefined);
    return result;
  }

  /** Counts of compiles, hits and live sessions. */
  stats(): CompiledCacheStats {
    return { compiles: this.compiles, hits: this.hits, size: this.entries.size, interim: this.interim };
  }

  /** Disposes every session and forgets every signature (the counters are kept). */
  clear(): void {
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) {
      void entry.queue.then(() => entry.session).then(
        (session) => session.dispose(),
        () => undefined,
      );
    }
  }

  private entryFor(signature: string, options: CacheSessionOptions, build: () => Graph): CacheEntry {
    const cached = this.entries.get(signature);
    if (cached) {
      this.hits++;
      return cached;
    }
    this.compiles++;
    const graph = build();
    let compilingStarted!: () => void;
    const compiling = new Promise<void>((resolve) => (compilingStarted = resolve));
    const session = createSession(graph, options, compilingStarted);
    const entry: CacheEntry = { graph, session, compiling, ready: false, queue: Promise.resolve() };
    this.entries.set(signature, entry);
    session.then(
      () => (entry.ready = true),
      () => undefined,
    );
    // A failed compile is not cached: the next call tries again (and reports the error again).
    session.catch(() => {
      if (this.entries.get(signature) === entry) this.entries.delete(signature);
    });
    return entry;
  }
}

/** True when the entry's program must be compiled (no cache had it) before its session is ready. */
async function compilesFirst(entry: CacheEntry): Promise<boolean> {
  return Promise.race([entry.session.then(() => false, () => false), entry.compiling.then(() => true)]);
}

async function createSession(graph: Graph, options: CacheSessionOptions, compilingStarted: () => void): Promise<Session> {
  const { backend, numThreads, cache } = options;
  const onProgress: ProgressListener = (event) => {
    if (event.phase === 'compile') compilingStarted();
    options.onProgress?.(event);
  };
  return Session.create(graph, {
    backend,
    compiler: loadCompiler,
    ...(numThreads === undefined ? {} : { numThreads }),
    ...(cache === undefined ? {} : { cache }),
    onProgress,
  });
}

/**
 * The one seam to threads: the only module that creates workers
 * (`worker_threads` in Node, reached through the host seam's
 * `process.getBuiltinModule`, so bundlers never see it and the browser build has none; module Web Workers from a Blob URL in browsers),
 * counts cores, and asks whether this realm may share memory and block in
 * `Atomics.wait`. The worker's script is source text (worker-main.ts), so
 * no file has to be found next to the bundle. The compile worker, which a
 * bundler must see beside the compiler, is constructed by @ladon/compiler
 * and adopted here (`adoptWorker`).
 */
import { nodeBuiltin } from '../../host/host.node.js';
import { workerSource, type WorkerInit, type WorkerStatus } from './worker-main.js';

/** A started worker, whatever the host, posting `In` messages and hearing `Out` ones. */
export interface HostWorker<In, Out> {
  post(message: In, transfer?: ArrayBuffer[]): void;
  /** `status` gets the worker's messages; `died` fires once when it errors or exits. */
  listen(status: (message: Out) => void, died: (reason: string) => void): void;
  /** Lets the process exit while this worker idles (Node; a no-op in browsers). */
  allowExit(): void;
  /** Keeps the process alive while the worker has work (Node; a no-op in browsers). */
  keepAlive(): void;
  /** Ends the worker; resolves once it has stopped running. */
  terminate(): Promise<void>;
}

/** A worker of the thread pool. */
export type ThreadWorker = HostWorker<WorkerInit, WorkerStatus>;

interface NodeWorker {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  on(event: 'message', listener: (message: never) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

interface NodeWorkerThreads {
  Worker: new (source: string, options: { eval: true; name?: string }) => NodeWorker;
}

/** worker_threads in Node (through the host seam: never an import), undefined elsewhere. */
function nodeWorkerThreads(): NodeWorkerThreads | undefined {
  return nodeBuiltin<NodeWorkerThreads>('node:worker_threads');
}

let browserScriptUrl: string | undefined;

function wrapNodeWorker<In, Out>(worker: NodeWorker): HostWorker<In, Out> {
  return {
    // An idle worker never keeps the process alive; work in progress holds it (a waiting run, or keepAlive).
    allowExit: () => worker.unref(),
    keepAlive: () => worker.ref(),
    post: (message, transfer) => worker.postMessage(message, transfer),
    listen(status, died) {
      worker.on('message', status as (message: never) => void);
      worker.on('error', (error) => died(error.message));
      worker.on('exit', (code) => died(`it exited (code ${code})`));
    },
    terminate: () => worker.terminate().then(() => undefined),
  };
}

function wrapBrowserWorker<In, Out>(worker: Worker): HostWorker<In, Out> {
  return {
    allowExit: () => undefined,
    keepAlive: () => undefined,
    post: (message, transfer) => worker.postMessage(message, transfer ?? []),
    listen(status, died) {
      worker.onmessage = (event: MessageEvent<Out>) => status(event.data);
      worker.onerror = (event) => died(event.message || 'the worker script failed');
    },
    terminate: () => {
      worker.terminate();
      return Promise.resolve();
    },
  };
}

function startNodeWorker({ Worker }: NodeWorkerThreads, name: string): ThreadWorker {
  return wrapNodeWorker(new Worker(workerSource('node'), { eval: true, name }));
}

function startBrowserWorker(name: string): ThreadWorker {
  browserScriptUrl ??= URL.createObjectURL(new Blob([workerSource('browser')], { type: 'text/javascript' }));
  return wrapBrowserWorker(new Worker(browserScriptUrl, { type: 'module', name }));
}

/**
 * Adopts a worker another package constructed (the compiler's compile
 * worker, which must be built where its script is so bundlers find it): a
 * Node worker_thread or a Web Worker, wrapped like the pool's own.
 */
export function adoptWorker<In, Out>(worker: unknown): HostWorker<In, Out> {
  if (typeof (worker as Partial<NodeWorker>).on === 'function') return wrapNodeWorker(worker as NodeWorker);
  if (typeof Worker === 'function' && worker instanceof Worker) return wrapBrowserWorker(worker);
  throw new Error('adoptWorker: neither a worker_threads Worker nor a Web Worker');
}

/** Starts a worker running the pool's worker program. */
export function startWorker(name: string): ThreadWorker {
  const threads = nodeWorkerThreads();
  if (threads) return startNodeWorker(threads, name);
  if (typeof Worker !== 'function') throw new Error('this host has no Worker');
  return startBrowserWorker(name);
}

/** The number of logical cores (1 when the host does not say). */
export function availableCores(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus: () => unknown[] }>('node:os');
  if (os) return os.availableParallelism?.() ?? os.cpus().length;
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}

/** Why this realm cannot share wasm memory with workers (undefined when it can). */
export function sharedMemoryUnavailableReason(): string | undefined {
  if (typeof SharedArrayBuffer !== 'function') {
    return 'SharedArrayBuffer is unavailable: in a browser the page must be cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  }
  if (!nodeWorkerThreads() && typeof Worker !== 'function') return 'this host has no Worker';
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch (error) {
    return `shared WebAssembly memory is unavailable: ${(error as Error).message}`;
  }
  return undefined;
}

let blocking: boolean | undefined;

/** True when this thread may block in `Atomics.wait` (not on a browser's main thread). */
export function canBlock(): boolean {
  if (blocking === undefined) {
    try {
      // Returns 'not-equal' at once where waiting is allowed; throws where it is not.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      blocking = true;
    } catch {
      blocking = false;
    }
  }
  return blocking;
}

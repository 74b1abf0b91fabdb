/**
 * The one seam to threads: the only module that creates workers
 * (`worker_threads` in Node, reached through the host seam's
 * `process.getBuiltinModule`, so bundlers never see it and the browser build has none; module Web Workers from a Blob URL in browsers),
 * counts cores, and asks whether this realm may share memory and block in
 * `Atomics.wait`. The worker's script is source text (worker-main.ts), so
 * no file has to be found next to the bundle.
 */
import { nodeBuiltin } from '../../host/host.node.js';
import { workerSource, type WorkerInit, type WorkerStatus } from './worker-main.js';

/** A started worker, whatever the host. */
export interface ThreadWorker {
  post(message: WorkerInit): void;
  /** `status` gets the worker's messages; `died` fires once when it errors or exits. */
  listen(status: (message: WorkerStatus) => void, died: (reason: string) => void): void;
  /** Lets the process exit while this worker idles (Node; a no-op in browsers). */
  allowExit(): void;
  /** Ends the worker; resolves once it has stopped running. */
  terminate(): Promise<void>;
}

interface NodeWorker {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: WorkerStatus) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
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

function startNodeWorker({ Worker }: NodeWorkerThreads, name: string): ThreadWorker {
  const worker = new Worker(workerSource('node'), { eval: true, name });
  return {
    // An idle pool never keeps the process alive; a run in progress holds it by waiting.
    allowExit: () => worker.unref(),
    post: (message) => worker.postMessage(message),
    listen(status, died) {
      worker.on('message', status);
      worker.on('error', (error) => died(error.message));
      worker.on('exit', (code) => died(`it exited (code ${code})`));
    },
    terminate: () => worker.terminate().then(() => undefined),
  };
}

function startBrowserWorker(name: string): ThreadWorker {
  browserScriptUrl ??= URL.createObjectURL(new Blob([workerSource('browser')], { type: 'text/javascript' }));
  const worker = new Worker(browserScriptUrl, { type: 'module', name });
  return {
    allowExit: () => undefined,
    post: (message) => worker.postMessage(message),
    listen(status, died) {
      worker.onmessage = (event: MessageEvent<WorkerStatus>) => status(event.data);
      worker.onerror = (event) => died(event.message || 'the worker script failed');
    },
    terminate: () => {
      worker.terminate();
      return Promise.resolve();
    },
  };
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

/**
 * Starts the compile worker (compile-worker.ts, built beside this module as
 * compile-worker.js). Only the construction lives here, in the form bundlers
 * recognise (`new Worker(new URL('./compile-worker.js', import.meta.url),
 * { type: 'module' })` makes Vite and others bundle the worker with the
 * compiler and binaryen); @ladon/runtime's worker seam adopts what this
 * returns and speaks the protocol (protocol.ts).
 */

interface NodeWorkerThreads {
  Worker: new (url: URL, options: { name: string }) => unknown;
}

/**
 * A new compile worker: a module Web Worker in browsers, a worker_thread in
 * Node (its `unref`/`ref` let the host decide whether it keeps the process alive).
 */
export function startCompileWorker(): unknown {
  const node = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (name: string) => unknown } }).process;
  if (node?.versions?.node && typeof node.getBuiltinModule === 'function') {
    const { Worker } = node.getBuiltinModule('node:worker_threads') as NodeWorkerThreads;
    return new Worker(new URL('./compile-worker.js', import.meta.url), { name: 'ladon-compiler' });
  }
  return new Worker(new URL('./compile-worker.js', import.meta.url), { type: 'module', name: 'ladon-compiler' });
}

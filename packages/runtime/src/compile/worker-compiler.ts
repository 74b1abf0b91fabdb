/**
 * Compiling in the compiler's worker (a module Web Worker in browsers, a
 * worker_thread in Node): one worker per compiler module, started on the
 * first compilation and shared by all (binaryen loads once), adopted by the
 * worker seam. The graph goes over as IR text, the Program comes back
 * serialised; progress is forwarded. A worker that dies fails what it had
 * and is replaced on the next compilation.
 */
import { deserializeProgram, LadonError, printGraph, RuntimeValueError, type Graph, type LadonErrorCode, type Program } from '@ladon/ir';
import type { CompileTarget } from '../load-tools.js';
import { adoptWorker, type HostWorker } from '../wasm/threads/worker-seam.js';

/** A compiler that can start its worker (see @ladon/compiler's startCompileWorker). */
export interface WorkerCapableCompiler {
  startCompileWorker(): unknown;
}

interface CompileRequest {
  readonly id: number;
  readonly graph: string;
  readonly target: CompileTarget;
}

type CompileReply =
  | { readonly id: number; readonly progress: { readonly phase: 'compile' | 'optimise'; readonly loaded: number; readonly total: number } }
  | { readonly id: number; readonly program: Uint8Array }
  | { readonly id: number; readonly error: WorkerError };

/** A compilation's error as the worker sends it (inputs: a RuntimeValueError's). */
interface WorkerError {
  readonly name: string;
  readonly code?: string;
  readonly message: string;
  readonly inputs?: readonly string[];
}

/** Progress as the compiler reports it. */
export type CompilerProgressListener = (event: { phase: 'compile' | 'optimise'; loaded: number; total: number }) => void;

interface Pending {
  readonly resolve: (program: Program) => void;
  readonly reject: (error: Error) => void;
  readonly onProgress?: CompilerProgressListener;
}

/** The compile worker of one compiler module. */
export class WorkerCompiler {
  private worker: HostWorker<CompileRequest, CompileReply> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly compiler: WorkerCapableCompiler) {}

  /** Compiles `graph` for `target` in the worker. */
  compile(graph: Graph, target: CompileTarget, onProgress?: CompilerProgressListener): Promise<Program> {
    const worker = this.start();
    const id = this.nextId++;
    const text = printGraph(graph);
    return new Promise<Program>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(onProgress ? { onProgress } : {}) });
      worker.keepAlive();
      worker.post({ id, graph: text, target });
    });
  }

  /** Stops the worker (pending compilations fail). */
  dispose(): void {
    this.fail('the compile worker was stopped');
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private start(): HostWorker<CompileRequest, CompileReply> {
    if (this.worker) return this.worker;
    const worker = adoptWorker<CompileRequest, CompileReply>(this.compiler.startCompileWorker());
    worker.listen(
      (reply) => this.receive(reply),
      (reason) => {
        if (this.worker === worker) this.worker = undefined;
        this.fail(`the compile worker stopped: ${reason}`);
      },
    );
    this.worker = worker;
    return worker;
  }

  private receive(reply: CompileReply): void {
    const request = this.pending.get(reply.id);
    if (!request) return;
    if ('progress' in reply) return request.onProgress?.(reply.progress);
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.allowExit();
    if ('program' in reply) request.resolve(deserializeProgram(reply.program));
    else request.reject(rebuildError(reply.error));
  }

  private fail(reason: string): void {
    const requests = [...this.pending.values()];
    this.pending.clear();
    for (const request of requests) request.reject(new LadonError('E_BACKEND', reason));
  }
}

/**
 * The worker's error as a LadonError with its code and name (the message
 * names node, op and tensor as the compiler wrote it); a RuntimeValueError
 * again with its inputs, so the session compiles per value of them.
 */
function rebuildError(error: WorkerError): Error {
  if (error.code === 'E_RUNTIME_VALUE' && error.inputs) return new RuntimeValueError(error.message, error.inputs);
  const rebuilt = new LadonError((error.code ?? 'E_BACKEND') as LadonErrorCode, error.message);
  Object.defineProperty(rebuilt, 'name', { value: error.name });
  return rebuilt;
}

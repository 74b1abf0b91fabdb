/**
 * Compiling a graph for a session: the compiler handed in (or loaded by
 * name in Node), in its worker when it has one (the default: a page's main
 * thread never runs binaryen), with progress.
 */
import type { Graph, Program } from '@ladon/ir';
import { loadCompiler, type CompileTarget, type CompilerModule, type ModuleSource } from '../load-tools.js';
import { report, type ProgressListener } from '../progress.js';
import { compileCached, type CacheSettings, type ProgramOrigin } from './cache/cached-compile.js';
import { WorkerCompiler, type WorkerCapableCompiler } from './worker-compiler.js';

/** How a graph is compiled for a session. */
export interface CompileSettings extends CacheSettings {
  /** The compiler module, or a loader of it (default: `@ladon/compiler` by name, in Node only). */
  readonly compiler?: ModuleSource<CompilerModule>;
  /**
   * Compile in the compiler's worker (a module Web Worker, a worker_thread in
   * Node), started once and shared by every compilation. Default true; false
   * compiles on the calling thread.
   */
  readonly compileInWorker?: boolean;
  readonly onProgress?: ProgressListener;
}

const workers = new WeakMap<object, WorkerCompiler>();

/** The shared compile worker of `compiler`. */
function workerOf(compiler: WorkerCapableCompiler): WorkerCompiler {
  let worker = workers.get(compiler);
  if (!worker) workers.set(compiler, (worker = new WorkerCompiler(compiler)));
  return worker;
}

/** The program for `graph` on `target`: from the compile cache, else compiled (see cache/cached-compile.ts). */
export async function compileForSession(graph: Graph, target: CompileTarget, settings: CompileSettings): Promise<{ program: Program; origin: ProgramOrigin }> {
  const compiler = await loadCompiler(settings.compiler);
  return compileCached({ graph, target, compilerVersion: compiler.COMPILER_VERSION, compile: () => compile(compiler, graph, target, settings) }, settings);
}

async function compile(compiler: CompilerModule, graph: Graph, target: CompileTarget, settings: CompileSettings): Promise<Program> {
  const listener = settings.onProgress;
  report(listener, 'compile', 0, 0); // a cache miss: compiling starts (the compiler reports its total)
  // The compiler reports its passes (compile) and binaryen's work (optimise); one that does not still ends the phase.
  let reported = false;
  const forward = (event: { phase: 'compile' | 'optimise'; loaded: number; total: number }): void => {
    reported = true;
    report(listener, event.phase, event.loaded, event.total);
  };
  const program =
    settings.compileInWorker !== false && typeof compiler.startCompileWorker === 'function'
      ? await workerOf(compiler as WorkerCapableCompiler).compile(graph, target, forward)
      : await compiler.compileProgram(graph, { target, onProgress: forward });
  if (!reported) report(listener, 'compile', 1, 1);
  return program;
}

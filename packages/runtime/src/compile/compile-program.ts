/**
 * Compiling a graph for a session: the compiler handed in (or loaded by
 * name in Node), with progress.
 */
import type { Graph, Program } from '@ladon/ir';
import { loadCompiler, type CompileTarget, type CompilerModule, type ModuleSource } from '../load-tools.js';
import { phase, type ProgressListener } from '../progress.js';

/** How a graph is compiled for a session. */
export interface CompileSettings {
  /** The compiler module, or a loader of it (default: `@ladon/compiler` by name, in Node only). */
  readonly compiler?: ModuleSource<CompilerModule>;
  readonly onProgress?: ProgressListener;
}

/** Compiles `graph` for `target`. */
export async function compileForSession(graph: Graph, target: CompileTarget, settings: CompileSettings): Promise<Program> {
  const compiler = await loadCompiler(settings.compiler);
  return phase(settings.onProgress, 'compile', () => compiler.compileProgram(graph, { target }));
}

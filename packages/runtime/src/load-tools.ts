/**
 * The compiler and the ONNX importer are loaded only when a session must
 * compile (a Graph or ONNX bytes instead of a precompiled Program): the
 * runtime never imports them statically, so an app that ships programs
 * compiled ahead of time does not download them.
 */
import { LadonError, type Graph, type Program } from '@ladon/ir';

/** Compile targets. */
export type CompileTarget = 'wasm' | 'wgsl';

interface CompilerModule {
  compileProgram(graph: Graph, options: { target: CompileTarget }): Promise<Program>;
}

interface OnnxModule {
  importOnnxModel(bytes: Uint8Array, options?: { fileName?: string }): { graph: Graph };
}

async function load<T>(specifier: string, why: string): Promise<T> {
  try {
    return (await import(/* @vite-ignore */ specifier)) as T;
  } catch (error) {
    throw new LadonError('E_UNSUPPORTED', `${why} needs ${specifier}, which could not be loaded: ${(error as Error).message}`);
  }
}

/** Compiles a graph for `target` with @ladon/compiler. */
export async function compileGraph(graph: Graph, target: CompileTarget): Promise<Program> {
  const compiler = await load<CompilerModule>('@ladon/compiler', 'running a graph that is not precompiled');
  return compiler.compileProgram(graph, { target });
}

/** Imports ONNX bytes with @ladon/onnx. */
export async function importOnnx(bytes: Uint8Array): Promise<Graph> {
  const onnx = await load<OnnxModule>('@ladon/onnx', 'loading an ONNX model');
  return onnx.importOnnxModel(bytes).graph;
}

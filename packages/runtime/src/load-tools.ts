/**
 * The compiler and the ONNX importer are loaded only when a session must
 * compile (a Graph or ONNX bytes instead of a precompiled Program): the
 * runtime never imports them statically, so an app that ships programs
 * compiled ahead of time does not download them. An application (or
 * @ladon/ops) may hand them in — the module, or a loader such as
 * `() => import('@ladon/compiler')` that its bundler puts in its own chunk;
 * otherwise Node loads them by name (host.node.ts) and a browser bundle
 * says what to pass (host.browser.ts).
 */
import type { Graph, Program } from '@ladon/ir';
import { importOptionalPeer } from './host/host.node.js';

/** Compile targets. */
export type CompileTarget = 'wasm' | 'wgsl';

/** What the runtime uses of @ladon/compiler (structurally: the package's module object satisfies it). */
export interface CompilerModule {
  compileProgram(graph: Graph, options: { target: CompileTarget; onProgress?: (progress: { phase: 'compile' | 'optimise'; loaded: number; total: number }) => void }): Promise<Program>;
  /** The compiler's build identity (part of the persistent cache's key). */
  readonly COMPILER_VERSION?: string;
  /** Starts the compiler's worker, when it has one (compilations then run off the calling thread). */
  startCompileWorker?(): unknown;
}

/** What the runtime uses of @ladon/onnx. */
export interface OnnxModule {
  importOnnxModel(bytes: Uint8Array, options?: { fileName?: string }): { graph: Graph };
}

/** A module handed in, or a lazy loader of it (e.g. `() => import('@ladon/compiler')`). */
export type ModuleSource<T> = T | (() => Promise<T>);

async function resolveModule<T>(source: ModuleSource<T> | undefined, specifier: string, why: string, option: string): Promise<T> {
  if (source === undefined) return importOptionalPeer<T>(specifier, why, option);
  return typeof source === 'function' ? (source as () => Promise<T>)() : source;
}

/** The compiler: the one handed in, else @ladon/compiler loaded by name (Node). */
export function loadCompiler(source?: ModuleSource<CompilerModule>): Promise<CompilerModule> {
  return resolveModule(source, '@ladon/compiler', 'running a graph that is not precompiled', 'compiler');
}

/** Imports ONNX bytes with @ladon/onnx (handed in, or loaded by name in Node). */
export async function importOnnx(bytes: Uint8Array, source?: ModuleSource<OnnxModule>): Promise<Graph> {
  const onnx = await resolveModule(source, '@ladon/onnx', 'loading an ONNX model', 'onnx');
  return onnx.importOnnxModel(bytes).graph;
}

/**
 * The compiler's entry points: `compileGraph` runs the pass pipeline on a
 * copy of a graph; `compileProgram` also lowers it to a target, producing
 * the serialisable Program. Lowerings load on demand (the wasm one pulls in
 * binaryen, ~15 MB, which a WGSL compile never needs).
 */
import { LadonError, type Graph, type Program } from '@ladon/ir';
import { mergeLimits, symbolLimits } from './lower/size-limits.js';
import { runPipeline, type Pass, type PassReport, type PipelineOptions } from './pass.js';
import { DEFAULT_PIPELINE } from './pipeline.js';

/** Options for {@link compileGraph}. */
export interface CompileOptions extends PipelineOptions {
  /** The passes to run (default: {@link DEFAULT_PIPELINE}). */
  readonly passes?: readonly Pass[];
}

/** A compiled graph and what each pass did. */
export interface CompiledGraph {
  readonly graph: Graph;
  readonly reports: readonly PassReport[];
}

/** Runs the pipeline on a copy of `graph` (the input graph is not changed). */
export function compileGraph(graph: Graph, options: CompileOptions = {}): CompiledGraph {
  const copy = graph.clone();
  const reports = runPipeline(copy, options.passes ?? DEFAULT_PIPELINE, options);
  return { graph: copy, reports };
}

/**
 * Progress of {@link compileProgram}: `compile` counts the pipeline's passes,
 * `optimise` the wasm modules built and optimised by binaryen (one, or two
 * with the relaxed-SIMD variant; none for WGSL).
 */
export interface CompileProgress {
  readonly phase: 'compile' | 'optimise';
  readonly loaded: number;
  readonly total: number;
}

/** Options for {@link compileProgram}. */
export interface ProgramOptions extends CompileOptions {
  readonly target: 'wasm' | 'wgsl';
  /** wasm: also build the relaxed-SIMD (FMA) variant of the module (default true). */
  readonly relaxedSimd?: boolean;
  /** Called as passes run and modules are optimised. */
  readonly onProgress?: (progress: CompileProgress) => void;
}

/** Compiles `graph` and lowers it to a Program for `target`. */
export async function compileProgram(graph: Graph, options: ProgramOptions): Promise<Program> {
  const passes = options.passes ?? DEFAULT_PIPELINE;
  const progress = options.onProgress;
  progress?.({ phase: 'compile', loaded: 0, total: passes.length });
  let done = 0;
  const onPass: PipelineOptions['onPass'] = (report, current) => {
    options.onPass?.(report, current);
    progress?.({ phase: 'compile', loaded: ++done, total: passes.length });
  };
  const { graph: compiled, reports } = compileGraph(graph, { ...options, passes, onPass });
  const program = await lower(compiled, reports.map((report) => report.name), options);
  const limits = mergeLimits(program.symbolLimits ?? {}, symbolLimits(graph));
  return Object.keys(limits).length > 0 ? { ...program, symbolLimits: limits } : program;
}

async function lower(compiled: Graph, passes: string[], options: ProgramOptions): Promise<Program> {
  switch (options.target) {
    case 'wasm': {
      const { lowerToWasm } = await import('./wasm/lower-wasm.js');
      const modules = options.relaxedSimd === false ? 1 : 2;
      const onModule = options.onProgress && ((built: number) => options.onProgress?.({ phase: 'optimise', loaded: built, total: modules }));
      return lowerToWasm(compiled, passes, { relaxedSimd: options.relaxedSimd ?? true, ...(onModule ? { onModule } : {}) });
    }
    case 'wgsl': {
      const { lowerToWgsl } = await import('./wgsl/lower-wgsl.js');
      return lowerToWgsl(compiled, passes);
    }
    default:
      throw new LadonError('E_UNSUPPORTED', `unknown compile target '${String(options.target)}' (expected wasm or wgsl)`);
  }
}

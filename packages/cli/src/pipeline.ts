/**
 * The compile step of `ladon inspect` (and later `run`/`compile`): a list
 * of named passes applied in order, with `--print-after PASS` dumps. The
 * compiler (@ladon/compiler) is not built yet, so the list is empty and the
 * graph passes through unchanged; when it lands, `PIPELINE` becomes its
 * pass list and nothing else here changes.
 */
import type { Graph } from '@ladon/ir';
import { UsageError } from './errors.js';

/** One compiler pass as the command line sees it. */
export interface Pass {
  /** The name `--print-after` and `passes` use. */
  readonly name: string;
  /** One line: what the pass does. */
  readonly summary: string;
  /** Rewrites the graph (in place or into a new one) and returns the result. */
  run(graph: Graph): Graph;
}

/** The passes, in order. Empty until @ladon/compiler exists. */
export const PIPELINE: readonly Pass[] = [];

/** Options for {@link compileGraph}. */
export interface CompileOptions {
  /** Dump the graph after the pass with this name. */
  readonly printAfter?: string;
  /** Receives the dump: the pass name and the graph after it. */
  readonly onPrintAfter?: (pass: string, graph: Graph) => void;
}

/** A compiled graph and the names of the passes that ran. */
export interface CompileResult {
  /** The graph after the whole pipeline. */
  readonly graph: Graph;
  /** The passes that ran, in order. */
  readonly passes: readonly string[];
}

/** Checks a `--print-after` pass name, or throws a UsageError listing the passes. */
export function checkPassName(name: string, pipeline: readonly Pass[] = PIPELINE): void {
  if (pipeline.some((pass) => pass.name === name)) return;
  const available = pipeline.map((pass) => pass.name).join(', ') || 'none';
  throw new UsageError(`unknown pass '${name}' for --print-after; available passes: ${available}`);
}

/** Runs the pipeline over `graph`. */
export function compileGraph(graph: Graph, options: CompileOptions = {}, pipeline: readonly Pass[] = PIPELINE): CompileResult {
  if (options.printAfter !== undefined) checkPassName(options.printAfter, pipeline);
  let current = graph;
  const passes: string[] = [];
  for (const pass of pipeline) {
    current = pass.run(current);
    passes.push(pass.name);
    if (pass.name === options.printAfter) options.onPrintAfter?.(pass.name, current);
  }
  return { graph: current, passes };
}

/**
 * The compile step of the commands: @ladon/compiler's pipeline (a list of
 * named passes), with `--print-after PASS` dumps and per-pass reports
 * (time, what changed) for `inspect --json`.
 */
import { compileGraph as runCompiler, DEFAULT_PIPELINE, type PassReport } from '@ladon/compiler';
import type { Graph } from '@ladon/ir';
import { UsageError } from './errors.js';

/** The pass names, in order. */
export const PASS_NAMES: readonly string[] = DEFAULT_PIPELINE.map((pass) => pass.name);

/** Options for {@link compileGraph}. */
export interface CompileOptions {
  /** Dump the graph after the pass with this name. */
  readonly printAfter?: string;
  /** Receives the dump (the graph's text form after that pass). */
  readonly onPrintAfter?: (pass: string, text: string) => void;
}

/** A compiled graph and the reports of the passes that ran. */
export interface CompileResult {
  /** The graph after the whole pipeline. */
  readonly graph: Graph;
  /** The names of the passes that ran, in order. */
  readonly passes: readonly string[];
  /** What each pass did and how long it took. */
  readonly reports: readonly PassReport[];
  /** Wall time of the whole pipeline, in milliseconds. */
  readonly ms: number;
}

/** Checks a `--print-after` pass name, or throws a UsageError listing the passes. */
export function checkPassName(name: string): void {
  if (PASS_NAMES.includes(name)) return;
  throw new UsageError(`unknown pass '${name}' for --print-after; available passes: ${[...new Set(PASS_NAMES)].join(', ')}`);
}

/** Runs the pipeline over a copy of `graph`. */
export function compileGraph(graph: Graph, options: CompileOptions = {}): CompileResult {
  if (options.printAfter !== undefined) checkPassName(options.printAfter);
  const started = performance.now();
  const printAfter = options.printAfter !== undefined ? { pass: options.printAfter, print: (text: string) => options.onPrintAfter?.(options.printAfter!, text) } : undefined;
  const { graph: compiled, reports } = runCompiler(graph, printAfter ? { printAfter } : {});
  return { graph: compiled, passes: reports.map((report) => report.name), reports, ms: performance.now() - started };
}
